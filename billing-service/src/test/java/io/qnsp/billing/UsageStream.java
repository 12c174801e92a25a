package io.qnsp.billing;

import io.qnsp.common.events.EventOutbox;
import io.qnsp.common.events.UsageEvent;
import io.qnsp.common.redis.RedisKeys;
import org.awaitility.Awaitility;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Publishes usage events the way every metered endpoint of the platform does: common-lib's
 * {@code @RequiredControls(metering = …)} appends a {@link UsageEvent} to the transactional outbox in the call's
 * transaction, and the outbox relay puts it on the {@code usage} Redis stream, which billing-service consumes.
 */
public final class UsageStream {

    private final EventOutbox outbox;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;
    private final StringRedisTemplate redis;
    private final RedisKeys keys;

    public UsageStream(EventOutbox outbox, TransactionTemplate transactions, JdbcTemplate jdbc,
                       StringRedisTemplate redis, RedisKeys keys) {
        this.outbox = outbox;
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.redis = redis;
        this.keys = keys;
    }

    /** A usage event as RequiredControlsEnforcer builds it after a successful metered call. */
    public static UsageEvent event(String tenant, String operation, String service, long quantity, Instant at) {
        return new UsageEvent(UUID.randomUUID(), at, tenant, "client-" + tenant, operation, quantity,
                "req-" + UUID.randomUUID(), service);
    }

    /** Appends the events in one transaction, as one metered call's commit would; the relay publishes them. */
    public void publish(List<UsageEvent> events) {
        transactions.executeWithoutResult(status -> events.forEach(outbox::append));
    }

    public UsageEvent publish(String tenant, String operation, String service, long quantity, Instant at) {
        UsageEvent event = event(tenant, operation, service, quantity, at);
        publish(List.of(event));
        return event;
    }

    /**
     * Publishes the event to the stream once more, exactly as the relay does after its XADD succeeded but marking the
     * outbox row as published was lost (a crash or a database failure): the row is unmarked and the relay sends it
     * again, with the same event id.
     */
    public void redeliver(UsageEvent event) {
        int unmarked = jdbc.update("UPDATE qnsp_event_outbox SET published_at = NULL WHERE event_id = ?",
                event.eventId());
        if (unmarked != 1) {
            throw new IllegalStateException("event " + event.eventId() + " is not in the outbox");
        }
    }

    /** How many entries of the usage stream carry the event's id. */
    public long entriesOf(UsageEvent event) {
        return redis.opsForStream().range(keys.key("events:" + UsageEvent.STREAM), Range.unbounded()).stream()
                .filter(record -> event.eventId().toString().equals(record.getValue().get("eventId")))
                .count();
    }

    /** Waits until billing-service has stored every one of the events. */
    public void awaitBilled(List<UsageEvent> events) {
        Object[] ids = events.stream().map(UsageEvent::eventId).toArray();
        String in = String.join(",", java.util.Collections.nCopies(ids.length, "?"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> jdbc.queryForObject("SELECT count(*) FROM usage_event WHERE event_id IN (" + in + ")",
                        Integer.class, ids) == ids.length);
    }

    public void awaitBilled(UsageEvent event) {
        awaitBilled(List.of(event));
    }

    /** Waits until the billing-service group has no message of the usage stream left unacknowledged. */
    public void awaitAcknowledged() {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> redis.opsForStream().pending(keys.key("events:" + UsageEvent.STREAM), "billing-service")
                        .getTotalPendingMessages() == 0);
    }
}
