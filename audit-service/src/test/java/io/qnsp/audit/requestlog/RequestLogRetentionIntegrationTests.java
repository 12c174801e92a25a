package io.qnsp.audit.requestlog;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qnsp.audit.AuditApi;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Request-log retention on the real database: what is older than the period goes, in bounded batches, whoever's it
 * is; what is newer stays, and the list and the stats answer from what stays. Request times lie in the year 2000 so
 * that no purge here reaches another test's request logs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class RequestLogRetentionIntegrationTests {

    private static final Instant NOW = Instant.parse("2000-06-01T12:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RequestLogRetention retention;

    @Autowired
    RequestLogRetentionSettings settings;

    @Autowired
    MeterRegistry meters;

    String tenant;
    String otherTenant;

    @BeforeEach
    void tenants() {
        tenant = "tenant-" + UUID.randomUUID();
        otherTenant = "tenant-" + UUID.randomUUID();
    }

    @AfterEach
    void removeThisTestsRequestLogs() {
        // a test that keeps old rows (retention off) must not leave them to the next test's purge
        jdbc.update("DELETE FROM request_log WHERE tenant_id IN (?, ?)", tenant, otherTenant);
    }

    @Test
    void isOnByDefaultWithThirtyDaysPurgedHourly() {
        assertThat(settings.period()).isEqualTo(Duration.ofDays(30));
        assertThat(settings.sweepInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.enabled()).isTrue();
        assertThat(retention.isRunning()).isTrue();
    }

    @Test
    void requestLogsOlderThanThePeriodAreDeletedNewerOnesAndOtherTenantsRecentOnesStay() {
        insert(tenant, 4, NOW.minus(DAY.multipliedBy(45)), 200);
        insert(tenant, 1, NOW.minus(DAY.multipliedBy(30)).minusSeconds(1), 500);
        insert(tenant, 2, NOW.minus(DAY.multipliedBy(29)), 200);
        insert(tenant, 1, NOW.minusSeconds(60), 404);
        insert(otherTenant, 3, NOW.minus(DAY.multipliedBy(10)), 200);
        insert(otherTenant, 2, NOW.minus(DAY.multipliedBy(31)), 200);
        double purgedBefore = purgedCount();

        RequestLogRetention.Purge purge = retention.purge(NOW);

        assertThat(purge.cutoff()).isEqualTo(NOW.minus(DAY.multipliedBy(30)));
        assertThat(count(tenant)).isEqualTo(3);
        assertThat(countBefore(tenant, purge.cutoff())).isZero();
        assertThat(count(otherTenant)).isEqualTo(3);
        assertThat(countBefore(otherTenant, purge.cutoff())).isZero();
        // Other tests' request logs are all newer than the year 2000 cutoff: exactly this test's old ones went.
        assertThat(purge.deleted()).isEqualTo(7);
        assertThat(purgedCount() - purgedBefore).isEqualTo(7.0);

        // A second purge at the same time finds nothing more.
        assertThat(retention.purge(NOW).deleted()).isZero();
        assertThat(count(tenant) + count(otherTenant)).isEqualTo(6);
    }

    @Test
    void theListAndTheStatsCoverOnlyWhatIsKept() {
        insert(tenant, 5, NOW.minus(DAY.multipliedBy(60)), 500);
        insert(tenant, 2, NOW.minus(DAY.multipliedBy(2)), 200);
        insert(tenant, 1, NOW.minus(DAY), 429);
        AuditApi reader = AuditApi.withToken(port,
                TestTokens.forTenant(tenant).subject("user-1").scopes("read:requests").mint());
        assertThat(summary(reader).get("totalRequests").asLong()).isEqualTo(8);

        retention.purge(NOW);

        JsonNode summary = summary(reader);
        assertThat(summary.get("totalRequests").asLong()).isEqualTo(count(tenant)).isEqualTo(3);
        assertThat(summary.get("successfulRequests").asLong()).isEqualTo(2);
        assertThat(summary.get("failedRequests").asLong()).isEqualTo(1);
        JsonNode list = ok(reader.get("/api/v1/requests"));
        assertThat(list.get("pagination").get("totalItems").asLong()).isEqualTo(3);
        assertThat(list.get("data")).allSatisfy(item ->
                assertThat(Instant.parse(item.get("timestamp").asString())).isAfter(NOW.minus(DAY.multipliedBy(30))));
        JsonNode series = ok(reader.get("/api/v1/requests/stats?period=day")).get("data").get("timeSeries");
        assertThat(series.size()).isEqualTo(2);
        assertThat(series.get(0).get("requests").asLong() + series.get(1).get("requests").asLong()).isEqualTo(3);
    }

    @Test
    void aBacklogLargerThanOneBatchIsDeletedInSeveralBatches() {
        insert(tenant, 10, NOW.minus(DAY.multipliedBy(40)), 200);
        insert(tenant, 2, NOW.minus(DAY), 200);
        RequestLogRetention small = retention(new RequestLogRetentionSettings(Duration.ofDays(30), Duration.ofHours(1),
                3));

        RequestLogRetention.Purge purge = small.purge(NOW);

        // 3 + 3 + 3 + 1: the last, short batch shows nothing is left.
        assertThat(purge.batches()).isEqualTo(4);
        assertThat(purge.deleted()).isEqualTo(10);
        assertThat(count(tenant)).isEqualTo(2);
        assertThat(countBefore(tenant, purge.cutoff())).isZero();
    }

    @Test
    void withThePeriodZeroNothingIsDeletedAndNothingIsScheduled() {
        insert(tenant, 4, NOW.minus(DAY.multipliedBy(3650)), 200);
        RequestLogRetention off = retention(new RequestLogRetentionSettings(Duration.ZERO, Duration.ofHours(1), 100));

        RequestLogRetention.Purge purge = off.purge(NOW);
        off.start();

        assertThat(purge.deleted()).isZero();
        assertThat(purge.cutoff()).isNull();
        assertThat(count(tenant)).isEqualTo(4);
        assertThat(off.isRunning()).isFalse();
    }

    @Test
    void settingsTakeZeroOrAtLeastAnHourAndRefuseNegativePeriods() {
        assertThat(bind(Map.of()).period()).isEqualTo(Duration.ofDays(30));
        assertThat(bind(Map.of("qnsp.audit.request-logs.retention.period", "0")).enabled()).isFalse();
        assertThat(bind(Map.of("qnsp.audit.request-logs.retention.period", "90d")).period())
                .isEqualTo(Duration.ofDays(90));
        assertThatThrownBy(() -> bind(Map.of("qnsp.audit.request-logs.retention.period", "-1d")))
                .hasStackTraceContaining("must be 0 (keep forever) or at least 1h");
        assertThatThrownBy(() -> bind(Map.of("qnsp.audit.request-logs.retention.period", "10m")))
                .hasStackTraceContaining("must be 0 (keep forever) or at least 1h");
        assertThatThrownBy(() -> bind(Map.of("qnsp.audit.request-logs.retention.sweep-interval", "0s")))
                .hasStackTraceContaining("sweep-interval must be a positive duration");
    }

    private RequestLogRetention retention(RequestLogRetentionSettings custom) {
        return new RequestLogRetention(jdbc, custom, new SimpleMeterRegistry(), Optional.empty());
    }

    private static RequestLogRetentionSettings bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("qnsp.audit.request-logs.retention", RequestLogRetentionSettings.class);
    }

    private void insert(String tenantId, int rows, Instant at, int status) {
        for (int i = 0; i < rows; i++) {
            jdbc.update("""
                    INSERT INTO request_log (event_id, tenant_id, occurred_at, method, path, status_code, duration_ms,
                                             key_id, ip_address, user_agent, rate_limited, request_id)
                    VALUES (?, ?, ?, 'GET', '/api/v1/keys', ?, 10, 'key_a', '10.0.0.1', 'test', ?, NULL)""",
                    UUID.randomUUID(), tenantId, Timestamp.from(at.plusMillis(i)), status, status == 429);
        }
    }

    private long count(String tenantId) {
        return jdbc.queryForObject("SELECT count(*) FROM request_log WHERE tenant_id = ?", Long.class, tenantId);
    }

    private long countBefore(String tenantId, Instant cutoff) {
        return jdbc.queryForObject("SELECT count(*) FROM request_log WHERE tenant_id = ? AND occurred_at < ?",
                Long.class, tenantId, Timestamp.from(cutoff));
    }

    private double purgedCount() {
        return meters.get("qnsp.audit.request_logs.purged").counter().count();
    }

    private static JsonNode summary(AuditApi reader) {
        return ok(reader.get("/api/v1/requests/stats")).get("data").get("summary");
    }

    private static JsonNode ok(ResponseEntity<JsonNode> response) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(200);
        return response.getBody();
    }
}
