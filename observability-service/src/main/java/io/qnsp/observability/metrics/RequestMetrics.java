package io.qnsp.observability.metrics;

import io.qnsp.common.events.EventStreamListener;
import io.qnsp.common.events.RequestLogEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-tenant, per-minute request metrics, aggregated from the gateway's {@code request-log} stream as it arrives.
 * common-lib calls {@link #record} once per event id, in the transaction that records the id, so a redelivered event
 * is never counted twice. A request without a tenant (anonymous) belongs to nobody's metrics.
 */
@Component
public class RequestMetrics {

    static final String GROUP = "observability-service";

    private final JdbcClient jdbc;
    private final Clock clock;

    RequestMetrics(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The subscription to the {@code request-log} stream, under observability-service's group. */
    @Configuration(proxyBeanMethods = false)
    static class Subscription {

        @Bean
        EventStreamListener<RequestLogEvent> observabilityRequestLog(RequestMetrics metrics) {
            return new EventStreamListener<>(RequestLogEvent.STREAM, GROUP, RequestLogEvent.class, metrics::record);
        }
    }

    /** Adds one logged request to its tenant's minute. */
    public void record(RequestLogEvent event) {
        if (event.tenantId() == null || event.tenantId().isBlank()) {
            return;
        }
        Instant at = event.timestamp() == null ? clock.instant() : event.timestamp();
        int status = event.statusCode();
        long duration = Math.max(0, event.durationMs());
        jdbc.sql("""
                        INSERT INTO request_minute (tenant_id, minute, requests, server_errors, client_errors,
                            rate_limited, duration_sum_ms, duration_max_ms)
                        VALUES (:tenant, :minute, 1, :server, :client, :limited, :duration, :duration)
                        ON CONFLICT (tenant_id, minute) DO UPDATE SET
                            requests = request_minute.requests + 1,
                            server_errors = request_minute.server_errors + EXCLUDED.server_errors,
                            client_errors = request_minute.client_errors + EXCLUDED.client_errors,
                            rate_limited = request_minute.rate_limited + EXCLUDED.rate_limited,
                            duration_sum_ms = request_minute.duration_sum_ms + EXCLUDED.duration_sum_ms,
                            duration_max_ms = greatest(request_minute.duration_max_ms, EXCLUDED.duration_max_ms)""")
                .param("tenant", event.tenantId())
                .param("minute", Timestamp.from(at.truncatedTo(ChronoUnit.MINUTES)))
                .param("server", status >= 500 ? 1 : 0)
                .param("client", status >= 400 && status < 500 ? 1 : 0)
                .param("limited", event.rateLimited() ? 1 : 0)
                .param("duration", duration)
                .update();
    }

    /**
     * The tenant's minutes from {@code from} (inclusive) to {@code to} (exclusive), one per minute in order, idle
     * minutes included as such.
     */
    public List<MinuteAggregate> minutes(String tenantId, Instant from, Instant to) {
        Instant start = from.truncatedTo(ChronoUnit.MINUTES);
        Map<Instant, MinuteAggregate> stored = new LinkedHashMap<>();
        jdbc.sql("SELECT * FROM request_minute WHERE tenant_id = :tenant AND minute >= :from AND minute < :to")
                .param("tenant", tenantId).param("from", Timestamp.from(start)).param("to", Timestamp.from(to))
                .query((rs, n) -> aggregate(rs)).list()
                .forEach(minute -> stored.put(minute.minute(), minute));
        List<MinuteAggregate> minutes = new java.util.ArrayList<>();
        for (Instant minute = start; minute.isBefore(to); minute = minute.plus(Duration.ofMinutes(1))) {
            minutes.add(stored.getOrDefault(minute, MinuteAggregate.idle(tenantId, minute)));
        }
        return minutes;
    }

    /** Deletes minutes older than the cut-off; answers how many. */
    public int deleteBefore(Instant cutOff) {
        return jdbc.sql("DELETE FROM request_minute WHERE minute < :cutOff")
                .param("cutOff", Timestamp.from(cutOff)).update();
    }

    private static MinuteAggregate aggregate(ResultSet rs) throws SQLException {
        return new MinuteAggregate(rs.getString("tenant_id"), rs.getTimestamp("minute").toInstant(),
                rs.getLong("requests"), rs.getLong("server_errors"), rs.getLong("client_errors"),
                rs.getLong("rate_limited"), rs.getLong("duration_sum_ms"), rs.getLong("duration_max_ms"));
    }
}
