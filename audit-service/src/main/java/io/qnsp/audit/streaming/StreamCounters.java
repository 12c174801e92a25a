package io.qnsp.audit.streaming;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The lasting counts of events streamed and delivered per tenant and subscription ({@code stream_counter}). */
@Repository
class StreamCounters {

    private final JdbcTemplate jdbc;

    StreamCounters(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One row: {@code subscriptionId} is {@code ""} for SSE streams opened without a subscription. */
    record Counter(String subscriptionId, long streamed, long delivered, Instant lastEventAt) {
    }

    void addStreamed(String tenantKey, String subscriptionId, long count, Instant lastEventAt) {
        jdbc.update("""
                        INSERT INTO stream_counter (tenant_key, subscription_id, events_streamed, last_event_at)
                        VALUES (?, ?, ?, ?)
                        ON CONFLICT (tenant_key, subscription_id) DO UPDATE
                        SET events_streamed = stream_counter.events_streamed + excluded.events_streamed,
                            last_event_at = greatest(stream_counter.last_event_at, excluded.last_event_at)""",
                tenantKey, subscriptionId, count, Timestamp.from(lastEventAt));
    }

    /** Counts one successful delivery of the subscription; its tenant key, empty when the subscription is gone. */
    Optional<String> addDelivered(String subscriptionId, Instant at) {
        return jdbc.queryForList("""
                        INSERT INTO stream_counter (tenant_key, subscription_id, events_delivered, last_event_at)
                        SELECT coalesce(tenant_id, ''), subscription_id, 1, ? FROM stream_subscription
                        WHERE subscription_id = ?
                        ON CONFLICT (tenant_key, subscription_id) DO UPDATE
                        SET events_delivered = stream_counter.events_delivered + 1,
                            last_event_at = greatest(stream_counter.last_event_at, excluded.last_event_at)
                        RETURNING tenant_key""", String.class, Timestamp.from(at), subscriptionId)
                .stream().findFirst();
    }

    List<Counter> ofTenant(String tenantKey) {
        return jdbc.query("""
                        SELECT subscription_id, events_streamed, events_delivered, last_event_at FROM stream_counter
                        WHERE tenant_key = ?""",
                (rs, n) -> {
                    Timestamp last = rs.getTimestamp("last_event_at");
                    return new Counter(rs.getString("subscription_id"), rs.getLong("events_streamed"),
                            rs.getLong("events_delivered"), last == null ? null : last.toInstant());
                }, tenantKey);
    }
}
