package io.qnsp.auth.risk;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.qnsp.auth.risk.TestLogins.of;
import static org.assertj.core.api.Assertions.assertThat;

/** Every evaluation is stored; the stats are computed from them for the caller's tenant and period only. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class RiskStatsIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void statsCountAKnownSetOfEvaluationsExactly() {
        String tenant = RiskApi.freshTenant();
        RiskApi api = RiskApi.of(port, tenant, "risk:read");
        // low (new device 25), allow
        assertThat(api.evaluated(of("s1").device("d1").body()).get("riskLevel").asString()).isEqualTo("low");
        // low (nothing), allow
        assertThat(api.evaluated(of("s1").device("d1").body()).get("riskScore").asInt()).isZero();
        // new device 25 + 4 failures 40: high, challenge
        assertThat(api.evaluated(of("s2").device("d2").failedAttempts(4).body()).get("riskLevel").asString())
                .isEqualTo("high");
        // new device 25 + 6 failures 60: critical, deny
        assertThat(api.evaluated(of("s3").device("d3").failedAttempts(6).body()).get("recommendation").asString())
                .isEqualTo("deny");
        // no fingerprint 10 + 3 failures 30: medium, challenge
        assertThat(api.evaluated(of("s4").failedAttempts(3).body()).get("riskLevel").asString())
                .isEqualTo("medium");

        for (String period : new String[] {"1h", "24h", "7d", "30d"}) {
            JsonNode stats = stats(api, "?period=" + period);
            assertThat(stats.get("period").asString()).isEqualTo(period);
            assertThat(stats.get("totalEvaluations").asLong()).isEqualTo(5);
            JsonNode distribution = stats.get("riskDistribution");
            assertThat(distribution.get("low").asLong()).isEqualTo(2);
            assertThat(distribution.get("medium").asLong()).isEqualTo(1);
            assertThat(distribution.get("high").asLong()).isEqualTo(1);
            assertThat(distribution.get("critical").asLong()).isEqualTo(1);
            assertThat(stats.get("challengeRate").asDouble()).isEqualTo(0.4);
            assertThat(stats.get("denyRate").asDouble()).isEqualTo(0.2);
            assertThat(factorCounts(stats)).containsExactly("failed_attempts=3", "new_device=3",
                    "unidentified_device=1");
        }
        assertThat(stats(api, "").get("period").asString()).isEqualTo("24h");
    }

    @Test
    void onlyEvaluationsInsideThePeriodCount() {
        String tenant = RiskApi.freshTenant();
        RiskApi api = RiskApi.of(port, tenant, "risk:read");
        api.evaluated(of("p1").device("d1").body());
        storedEvaluation(tenant, Instant.now().minus(Duration.ofHours(2)), "critical", "deny", "impossible_travel");
        storedEvaluation(tenant, Instant.now().minus(Duration.ofDays(3)), "medium", "challenge", "new_location");
        storedEvaluation(tenant, Instant.now().minus(Duration.ofDays(40)), "high", "challenge", "new_location");

        JsonNode hour = stats(api, "?period=1h");
        assertThat(hour.get("totalEvaluations").asLong()).isEqualTo(1);
        assertThat(hour.get("denyRate").asDouble()).isZero();
        assertThat(factorCounts(hour)).containsExactly("new_device=1");

        JsonNode day = stats(api, "?period=24h");
        assertThat(day.get("totalEvaluations").asLong()).isEqualTo(2);
        assertThat(day.get("riskDistribution").get("critical").asLong()).isEqualTo(1);
        assertThat(day.get("denyRate").asDouble()).isEqualTo(0.5);
        assertThat(factorCounts(day)).containsExactly("impossible_travel=1", "new_device=1");

        JsonNode week = stats(api, "?period=7d");
        assertThat(week.get("totalEvaluations").asLong()).isEqualTo(3);
        assertThat(week.get("challengeRate").asDouble()).isEqualTo(0.3333);

        assertThat(stats(api, "?period=30d").get("totalEvaluations").asLong()).isEqualTo(3);
    }

    @Test
    void aTenantWithoutEvaluationsHasZeroStats() {
        JsonNode stats = stats(RiskApi.of(port, RiskApi.freshTenant(), "risk:read"), "?period=30d");
        assertThat(stats.get("totalEvaluations").asLong()).isZero();
        assertThat(stats.get("riskDistribution").properties()).hasSize(4);
        stats.get("riskDistribution").forEach(count -> assertThat(count.asLong()).isZero());
        assertThat(stats.get("topRiskFactors").isEmpty()).isTrue();
        assertThat(stats.get("challengeRate").asDouble()).isZero();
        assertThat(stats.get("denyRate").asDouble()).isZero();
    }

    @Test
    void everyEvaluationIsStoredWithItsInputs() {
        String tenant = RiskApi.freshTenant();
        JsonNode evaluation = RiskApi.of(port, tenant).evaluated(of("stored").from(TestLogins.TOKYO)
                .device("fingerprint-123").ip("2001:db8::7").failedAttempts(2)
                .previousLoginAt(Instant.parse("2025-01-01T10:00:00Z")).body());
        var row = jdbc.queryForMap("SELECT * FROM risk_evaluation WHERE id = ?",
                UUID.fromString(evaluation.get("evaluationId").asString()));
        assertThat(row.get("tenant_id")).isEqualTo(tenant);
        assertThat(row.get("user_id")).isEqualTo("stored");
        assertThat(row.get("country")).isEqualTo("JP");
        assertThat(row.get("city")).isEqualTo("Tokyo");
        assertThat(row.get("latitude")).isEqualTo(35.6762);
        assertThat(row.get("ip_address")).isEqualTo("2001:db8::7");
        assertThat(row.get("failed_attempts")).isEqualTo(2);
        assertThat(row.get("risk_score")).isEqualTo(evaluation.get("riskScore").asInt());
        assertThat(row.get("risk_level")).isEqualTo(evaluation.get("riskLevel").asString());
        assertThat(row.get("recommendation")).isEqualTo(evaluation.get("recommendation").asString());
        // the fingerprint is kept only as a digest
        assertThat((String) row.get("device_hash")).hasSize(64).isNotEqualTo("fingerprint-123");
        assertThat(((Timestamp) row.get("previous_login_at")).toInstant())
                .isEqualTo(Instant.parse("2025-01-01T10:00:00Z"));
        List<String> factors = jdbc.queryForList(
                "SELECT name FROM risk_evaluation_factor WHERE evaluation_id = ? ORDER BY ordinal", String.class,
                UUID.fromString(evaluation.get("evaluationId").asString()));
        assertThat(factors).containsExactlyElementsOf(RiskEvaluationIntegrationTests.factorNames(evaluation));
    }

    private static JsonNode stats(RiskApi api, String query) {
        ResponseEntity<JsonNode> response = api.get("/auth/risk/stats" + query);
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        return response.getBody();
    }

    private static List<String> factorCounts(JsonNode stats) {
        List<String> counts = new ArrayList<>();
        stats.get("topRiskFactors").forEach(f -> counts.add(f.get("factor").asString() + "=" + f.get("count").asLong()));
        return counts;
    }

    private void storedEvaluation(String tenant, Instant at, String level, String recommendation, String factor) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO risk_evaluation (id, tenant_id, user_id, evaluated_at, failed_attempts, risk_score,"
                        + " risk_level, recommendation, challenge_type) VALUES (?, ?, 'history', ?, 0, 50, ?, ?, ?)",
                id, tenant, Timestamp.from(at), level, recommendation,
                "challenge".equals(recommendation) ? "mfa" : null);
        jdbc.update("INSERT INTO risk_evaluation_factor (evaluation_id, ordinal, name, score, reason)"
                + " VALUES (?, 0, ?, 50, 'seeded')", id, factor);
    }
}
