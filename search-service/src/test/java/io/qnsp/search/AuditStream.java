package io.qnsp.search;

import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.events.RequestLogEvent;
import io.qnsp.common.redis.RedisKeys;
import org.awaitility.Awaitility;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Publishes events the way the platform does: an audit event through common-lib's transactional outbox (as
 * {@code @RequiredControls(audit = …)} does in every service), relayed to the {@code audit} Redis stream; a request
 * log entry onto the {@code request-log} stream in the same stream format as the gateway's publisher.
 */
public final class AuditStream {

    private final EventOutbox outbox;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final RedisKeys keys;

    public AuditStream(EventOutbox outbox, TransactionTemplate transactions, JdbcTemplate jdbc,
                       StringRedisTemplate redis, RedisKeys keys) {
        this.outbox = outbox;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.redis = redis;
        this.keys = keys;
    }

    public static AuditEvent event(String tenant, String action, String resourceType, String resourceId,
                                   Map<String, String> details) {
        return new AuditEvent(UUID.randomUUID(), Instant.now(), tenant, "client-" + tenant, action, resourceType,
                resourceId, "success", "req-" + UUID.randomUUID(), action.substring(0, action.indexOf('.'))
                + "-service", details);
    }

    /** Appends the event to the outbox in a transaction of its own; the relay publishes it after commit. */
    public AuditEvent publish(AuditEvent event) {
        transactions.executeWithoutResult(status -> outbox.append(event));
        return event;
    }

    public AuditEvent publish(String tenant, String action, String resourceType, String resourceId,
                              Map<String, String> details) {
        return publish(event(tenant, action, resourceType, resourceId, details));
    }

    /** Has the relay send the event again with the same id, as after a lost acknowledgement of its publication. */
    public void redeliver(AuditEvent event) {
        jdbc.update("UPDATE qnsp_event_outbox SET published_at = NULL WHERE event_id = ?", event.eventId());
    }

    /** Adds a request of the gateway's log to its stream, as the gateway's publisher does. */
    public RequestLogEvent logRequest(String tenant, String method, String path, int status) {
        RequestLogEvent event = new RequestLogEvent(UUID.randomUUID(), Instant.now(), method, path, status, 12,
                null, tenant, "10.0.0.1", "curl/8.5", false, "req-" + UUID.randomUUID());
        transactions.executeWithoutResult(transaction -> outbox.append(event));
        return event;
    }

    /** Waits until search-service has indexed the record with that source id for the tenant. */
    public void awaitIndexed(String tenant, String indexName, String sourceId) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> jdbc.queryForObject("SELECT count(*) FROM document WHERE tenant_id = ? AND index_name = "
                        + "? AND source_id = ?", Integer.class, tenant, indexName, sourceId) == 1);
    }

    public void awaitIndexed(AuditEvent event) {
        awaitIndexed(event.tenantId(), "audit-events", event.eventId().toString());
    }

    /** Waits until search-service's group has no message of the stream left unacknowledged. */
    public void awaitAcknowledged(String stream) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> redis.opsForStream().pending(keys.key("events:" + stream), "search-service")
                        .getTotalPendingMessages() == 0);
    }
}
