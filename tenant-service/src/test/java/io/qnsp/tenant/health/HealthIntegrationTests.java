package io.qnsp.tenant.health;

import io.qnsp.tenant.TenantIntegrationTests;
import io.qnsp.common.events.RequestLogEvent;
import io.qnsp.tenant.PlatformStreams;
import io.qnsp.tenant.TenantApi;
import io.qnsp.tenant.TenantScopes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The health score from the gateway's request log and the tenant's own snapshots: the issues that lower it, the
 * snapshots' trend, one tenant never seeing another's figures.
 */
class HealthIntegrationTests extends TenantIntegrationTests {

    static final Instant NOW = Instant.parse("2031-05-14T12:00:00Z");

    @BeforeEach
    void setUp() {
        clock.pin(NOW);
    }

    /** 200 recent requests of alpha: 10 slow (2 s), 10 server errors, through two API keys and one address. */
    private void logAlphaTraffic() {
        List<RequestLogEvent> requests = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Instant at = NOW.minus(Duration.ofMinutes(10)).plusSeconds(i);
            int status = i % 20 == 7 ? 500 : 200;
            long duration = i % 20 == 3 ? 2000 : 100;
            String key = i % 3 == 0 ? null : i % 3 == 1 ? "key-one" : "key-two";
            requests.add(PlatformStreams.request(alpha, at, status, duration, key, "10.0.0.1"));
        }
        // outside the 15-minute window: would raise the p99 and the error rate if they counted
        for (int i = 0; i < 50; i++) {
            requests.add(PlatformStreams.request(alpha, NOW.minus(Duration.ofHours(2)), 503, 9000, "key-old",
                    "10.9.9.9"));
        }
        streams.log(requests);
        streams.awaitCounted(alpha, 250);
    }

    @Test
    void theCurrentScoreComesFromTheRequestLogWithTheIssuesThatLowerIt() {
        logAlphaTraffic();

        JsonNode current = ok(alphaApi.currentHealth());

        JsonNode metrics = current.get("metrics");
        assertThat(metrics.get("requests").asLong()).isEqualTo(200);
        assertThat(metrics.get("apiLatencyP99").asDouble()).isEqualTo(2000);
        assertThat(metrics.get("errorRate").asDouble()).isCloseTo(0.05, within(1e-9));
        assertThat(metrics.get("activePrincipals").asLong()).isEqualTo(3);
        assertThat(metrics.get("source").asString()).isEqualTo("request_log");
        // latency above 1000 ms (-15), error rate above 1 % but not above 5 % (-20)
        assertThat(current.get("score").asInt()).isEqualTo(65);
        assertThat(current.get("status").asString()).isEqualTo("degraded");
        assertThat(current.get("issues")).hasSize(2);
        assertThat(current.get("issues").findValuesAsString("metric"))
                .containsExactlyInAnyOrder("apiLatencyP99", "errorRate");
        assertThat(current.get("issues").findValuesAsString("severity")).containsOnly("warning");

        // beta has no traffic: none of alpha's figures, a perfect score with nothing reported
        JsonNode betaCurrent = ok(betaApi.currentHealth());
        assertThat(betaCurrent.get("metrics").get("requests").asLong()).isZero();
        assertThat(betaCurrent.get("score").asInt()).isEqualTo(100);
        assertThat(betaCurrent.get("issues")).isEmpty();
        streams.awaitAudit(alpha, "tenant.health.read", null);
    }

    @Test
    void aSnapshotStoresTheReportedMetricsWithTheLogAndIsAudited() {
        logAlphaTraffic();

        JsonNode recorded = ok(alphaApi.recordSnapshot(Map.of("storageUsage", 97, "activeUsers", 12)), 201);
        assertThat(recorded.get("recordedAt").asString()).isEqualTo(NOW.toString());
        // the log's issues and the reported storage above 95 % (-30)
        assertThat(recorded.get("score").asInt()).isEqualTo(35);
        assertThat(recorded.get("status").asString()).isEqualTo("critical");
        String id = recorded.get("snapshotId").asString();
        JsonNode audit = streams.awaitAudit(alpha, "tenant.health_snapshot.recorded", id);
        assertThat(audit.get("outcome").asString()).isEqualTo("success");

        Map<String, Object> stored = jdbc.queryForMap("SELECT tenant_id, observed::text AS observed, score "
                + "FROM health_snapshot WHERE snapshot_id = ?::uuid", id);
        assertThat(stored.get("tenant_id")).isEqualTo(alpha);
        assertThat((String) stored.get("observed")).contains("\"requests\": 200");

        // the current score now counts the reported storage too
        JsonNode current = ok(alphaApi.currentHealth());
        assertThat(current.get("score").asInt()).isEqualTo(35);
        assertThat(current.get("metrics").get("storageUsage").asDouble()).isEqualTo(97);
        // beta sees nothing of it
        assertThat(ok(betaApi.currentHealth()).get("metrics").get("storageUsage").isNull()).isTrue();
        assertThat(ok(betaApi.trends("30d")).get("dataPoints")).isEmpty();
    }

    @Test
    void reportedMetricsCountWhenTheLogHasNoRequests() {
        JsonNode recorded = ok(betaApi.recordSnapshot(Map.of("apiLatencyP99", 4000, "errorRate", 0.001)), 201);
        assertThat(recorded.get("score").asInt()).isEqualTo(65);
        JsonNode current = ok(betaApi.currentHealth());
        assertThat(current.get("metrics").get("source").asString()).isEqualTo("reported");
        assertThat(current.get("issues").get(0).get("severity").asString()).isEqualTo("critical");
        assertThat(current.get("issues").get(0).get("metric").asString()).isEqualTo("apiLatencyP99");
    }

    @Test
    void trendsAverageTheStoredSnapshotsPerDayOrHour() {
        Instant dayOne = NOW.minus(Duration.ofDays(2));
        clock.pin(dayOne);
        ok(betaApi.recordSnapshot(Map.of("storageUsage", 50)), 201);                  // 100
        clock.pin(dayOne.plus(Duration.ofHours(3)));
        ok(betaApi.recordSnapshot(Map.of("storageUsage", 90)), 201);                  // 90
        clock.pin(NOW.minus(Duration.ofHours(1)));
        ok(betaApi.recordSnapshot(Map.of("storageUsage", 97)), 201);                  // 70
        clock.pin(NOW);
        ok(betaApi.recordSnapshot(Map.of("storageUsage", 97, "errorRate", 0.2)), 201); // 25
        ok(alphaApi.recordSnapshot(Map.of("storageUsage", 10)), 201);

        JsonNode week = ok(betaApi.trends(null));
        assertThat(week.get("period").asString()).isEqualTo("7d");
        JsonNode points = week.get("dataPoints");
        assertThat(points).hasSize(2);
        assertThat(points.get(0).get("timestamp").asString()).isEqualTo("2031-05-12T00:00:00Z");
        assertThat(points.get(0).get("score").asDouble()).isEqualTo(95);
        assertThat(points.get(0).get("status").asString()).isEqualTo("healthy");
        assertThat(points.get(1).get("timestamp").asString()).isEqualTo("2031-05-14T00:00:00Z");
        assertThat(points.get(1).get("score").asDouble()).isEqualTo(47.5);
        assertThat(points.get(1).get("status").asString()).isEqualTo("critical");

        JsonNode day = ok(betaApi.trends("24h"));
        assertThat(day.get("dataPoints")).hasSize(2);
        assertThat(day.get("dataPoints").get(0).get("timestamp").asString()).isEqualTo("2031-05-14T11:00:00Z");
        assertThat(day.get("dataPoints").get(0).get("score").asDouble()).isEqualTo(70);
        assertThat(day.get("dataPoints").get(1).get("score").asDouble()).isEqualTo(25);
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        assertFieldRefused(alphaApi.post("/tenant/v1/health/snapshots", Map.of()), "metrics");
        assertFieldRefused(alphaApi.recordSnapshot(Map.of()), "metrics");
        assertFieldRefused(alphaApi.recordSnapshot(Map.of("errorRate", 2)), "metrics.errorRate");
        assertFieldRefused(alphaApi.recordSnapshot(Map.of("storageUsage", -1)), "metrics.storageUsage");
        assertFieldRefused(alphaApi.recordSnapshot(Map.of("apiLatencyP99", "fast")), "metrics.apiLatencyP99");
        assertFieldRefused(alphaApi.trends("1y"), "period");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM health_snapshot WHERE tenant_id = ?", Long.class, alpha))
                .isZero();
    }

    @Test
    void everyEndpointNeedsATokenWithTheScope() {
        assertStatus(TenantApi.anonymous(port).currentHealth(), 401);
        assertStatus(TenantApi.anonymous(port).recordSnapshot(Map.of("storageUsage", 1)), 401);
        TenantApi reader = TenantApi.withScopes(port, alpha, TenantScopes.READ);
        assertStatus(reader.recordSnapshot(Map.of("storageUsage", 1)), 403);
        ok(reader.currentHealth());
        TenantApi writer = TenantApi.withScopes(port, alpha, TenantScopes.WRITE);
        assertStatus(writer.trends(null), 403);
    }
}
