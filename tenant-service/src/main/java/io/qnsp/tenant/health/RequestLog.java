package io.qnsp.tenant.health;

import io.qnsp.common.events.EventStreamListener;
import io.qnsp.common.events.RequestLogEvent;
import io.qnsp.tenant.TenantSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The tenants' requests as the gateway logged them ({@code request-log} stream), kept one row per request so the
 * health score can take a true 99th percentile of latency and count the distinct active principals. common-lib
 * calls {@link #record} once per event id; the row's primary key is the event id as well, so nothing counts twice.
 * A request without a tenant (anonymous) belongs to nobody.
 */
@Component
public class RequestLog {

    static final String GROUP = "tenant-service";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TenantSettings settings;

    RequestLog(JdbcClient jdbc, Clock clock, TenantSettings settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = settings;
    }

    /** The subscription to the {@code request-log} stream, under tenant-service's group. */
    @Configuration(proxyBeanMethods = false)
    static class Subscription {

        @Bean
        EventStreamListener<RequestLogEvent> tenantRequestLog(RequestLog log) {
            return new EventStreamListener<>(RequestLogEvent.STREAM, GROUP, RequestLogEvent.class, log::record);
        }
    }

    /**
     * The request log's figures for one tenant over a span.
     *
     * @param requests          requests logged
     * @param latencyP99Ms      the 99th percentile of their durations (nearest rank), {@code null} without requests
     * @param errorRate         server errors (5xx) per request, {@code null} without requests
     * @param activePrincipals  distinct API keys, and distinct client addresses of bearer-token requests
     */
    public record Observed(Instant from, Instant to, long requests, Double latencyP99Ms, Double errorRate,
                           long activePrincipals) {
    }

    public void record(RequestLogEvent event) {
        if (event.tenantId() == null || event.tenantId().isBlank()) {
            return;
        }
        Instant at = event.timestamp() == null ? clock.instant() : event.timestamp();
        String principal = event.keyId() != null && !event.keyId().isBlank() ? "key:" + event.keyId()
                : "address:" + (event.ipAddress() == null ? "unknown" : event.ipAddress());
        jdbc.sql("""
                        INSERT INTO logged_request (event_id, tenant_id, at, status_code, duration_ms, principal,
                            key_id)
                        VALUES (:id, :tenant, :at, :status, :duration, :principal, :key)
                        ON CONFLICT (event_id) DO NOTHING""")
                .param("id", event.eventId()).param("tenant", event.tenantId()).param("at", Timestamp.from(at))
                .param("status", event.statusCode()).param("duration", Math.max(0, event.durationMs()))
                .param("principal", truncate(principal, 300)).param("key", event.keyId())
                .update();
    }

    /** The tenant's requests logged in (from, to]. */
    public Observed observed(String tenantId, Instant from, Instant to) {
        return jdbc.sql("""
                        SELECT count(*) AS requests,
                               percentile_disc(0.99) WITHIN GROUP (ORDER BY duration_ms) AS p99,
                               count(*) FILTER (WHERE status_code >= 500) AS server_errors,
                               count(DISTINCT principal) AS principals
                        FROM logged_request WHERE tenant_id = :tenant AND at > :from AND at <= :to""")
                .param("tenant", tenantId).param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, n) -> {
                    long requests = rs.getLong("requests");
                    long p99 = rs.getLong("p99");
                    return new Observed(from, to, requests, requests == 0 ? null : (double) p99,
                            requests == 0 ? null : rs.getLong("server_errors") / (double) requests,
                            rs.getLong("principals"));
                }).single();
    }

    /** The request log's last window (the health window) up to now. */
    public Observed recent(String tenantId) {
        Instant now = clock.instant();
        return observed(tenantId, now.minus(settings.health().window()), now);
    }

    /** The ids of the tenant's logged requests (for isolation audits): at most {@code limit}, newest first. */
    public List<String> eventIdsOf(String tenantId, int limit) {
        return jdbc.sql("SELECT event_id FROM logged_request WHERE tenant_id = :tenant ORDER BY at DESC LIMIT :limit")
                .param("tenant", tenantId).param("limit", limit).query(String.class).list();
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void deleteExpired() {
        jdbc.sql("DELETE FROM logged_request WHERE at < :cutOff")
                .param("cutOff", Timestamp.from(clock.instant().minus(settings.health().requestRetention())))
                .update();
    }

    private static String truncate(String value, int length) {
        return value.length() <= length ? value : value.substring(0, length);
    }
}
