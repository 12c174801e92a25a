package io.qnsp.auth.apikey;

import io.qnsp.common.events.EventOutbox;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Announces keys whose {@code expiresAt} has passed (their own expiry, or the end of a rotation's deprecation
 * period) with an {@link ApiKeyExpired} event, once each. Verification does not wait for this: it compares
 * {@code expiresAt} with the clock itself. Several instances may sweep at once; row locks hand each key to one.
 */
@Component
class ApiKeyExpiry {

    private static final int BATCH = 500;

    // marks a batch of unannounced, expired keys as announced and returns them, skipping rows another sweep holds
    private static final String ANNOUNCE = """
            UPDATE api_key SET expiry_announced_at = ?
            WHERE id IN (SELECT id FROM api_key
                         WHERE expiry_announced_at IS NULL AND status <> 'revoked'
                           AND expires_at IS NOT NULL AND expires_at <= ?
                         ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED)
            RETURNING id, tenant_id, status, expires_at""";

    private record Expired(String keyId, String tenantId, boolean deprecated, Instant expiredAt) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final EventOutbox outbox;
    private final ApplicationEventPublisher publisher;
    private final Clock clock;

    ApiKeyExpiry(JdbcTemplate jdbc, TransactionTemplate transactions, EventOutbox outbox,
                 ApplicationEventPublisher publisher, ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.outbox = outbox;
        this.publisher = publisher;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @Scheduled(fixedDelayString = "${qnsp.auth.api-keys.expiry-sweep-interval:5s}")
    void sweep() {
        int announced;
        do {
            announced = announceBatch();
        } while (announced == BATCH);
    }

    /** Announces up to one batch of expired keys in one transaction; how many it announced. */
    int announceBatch() {
        Integer count = transactions.execute(status -> {
            Instant now = clock.instant();
            List<Expired> expired = jdbc.query(ANNOUNCE, (row, n) -> new Expired(row.getString("id"),
                            row.getString("tenant_id"), "deprecated".equals(row.getString("status")),
                            row.getTimestamp("expires_at").toInstant()),
                    Timestamp.from(now), Timestamp.from(now), BATCH);
            for (Expired key : expired) {
                ApiKeyExpired event = new ApiKeyExpired(UUID.randomUUID(), now, key.keyId(), key.tenantId(),
                        key.expiredAt(), key.deprecated());
                outbox.append(event);
                publisher.publishEvent(event);
            }
            return expired.size();
        });
        return count == null ? 0 : count;
    }
}
