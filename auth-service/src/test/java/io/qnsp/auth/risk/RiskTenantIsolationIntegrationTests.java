package io.qnsp.auth.risk;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.qnsp.auth.risk.TestLogins.PARIS;
import static io.qnsp.auth.risk.TestLogins.TOKYO;
import static io.qnsp.auth.risk.TestLogins.of;
import static org.assertj.core.api.Assertions.assertThat;

/** Another tenant's policies, signals, evaluations and stats are never visible, never applied, never changed. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class RiskTenantIsolationIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void tenantBSeesNoneOfTenantAsRiskData() {
        RiskApi a = RiskApi.of(port, RiskApi.freshTenant(), "risk:read", "risk:write");
        RiskApi b = RiskApi.of(port, RiskApi.freshTenant(), "risk:read", "risk:write");
        String policyId = a.createdPolicy(Map.of("name", "deny outside France",
                "conditions", Map.of("geoRestrictions", List.of("FR")), "actions", Map.of("onHighRisk", "deny")));
        assertThat(a.reportSignal(Map.of("userId", "shared-user", "signalType", "credential_stuffing",
                "severity", "critical")).getStatusCode().value()).isEqualTo(201);
        a.evaluated(of("shared-user").from(PARIS).device("a-laptop").body());
        a.evaluated(of("shared-user").from(TOKYO).device("a-phone").failedAttempts(5).body());

        // policies
        JsonNode bPolicies = b.get("/auth/risk/policies").getBody();
        assertThat(bPolicies.get("total").asLong()).isZero();
        assertThat(bPolicies.get("policies").isEmpty()).isTrue();
        assertThat(b.get("/auth/risk/policies?enabled=true").getBody().get("total").asLong()).isZero();
        assertNotFound(b.get("/auth/risk/policies/{id}", policyId));
        assertNotFound(b.put("/auth/risk/policies/{id}", Map.of("name", "hijacked",
                "conditions", Map.of("riskScoreThreshold", 100), "enabled", false), policyId));
        assertNotFound(b.delete("/auth/risk/policies/{id}", policyId));
        // b may use the same name: names are unique per tenant only
        assertThat(b.createPolicy(Map.of("name", "deny outside France", "conditions", Map.of("riskScoreThreshold",
                99))).getStatusCode().value()).isEqualTo(201);

        // signals
        JsonNode bSignals = b.get("/auth/risk/users/{user}/signals", "shared-user").getBody();
        assertThat(bSignals.get("total").asLong()).isZero();
        assertThat(bSignals.get("signals").isEmpty()).isTrue();

        // stats
        JsonNode bStats = b.get("/auth/risk/stats?period=30d").getBody();
        assertThat(bStats.get("totalEvaluations").asLong()).isZero();
        assertThat(bStats.get("topRiskFactors").isEmpty()).isTrue();

        // evaluations: the same user id in b has no history, no signals and no policy from a
        JsonNode bEvaluation = b.evaluated(of("shared-user").from(TOKYO).device("a-laptop")
                .previousLoginAt(Instant.now().minus(Duration.ofMinutes(1))).body());
        assertThat(RiskEvaluationIntegrationTests.factorNames(bEvaluation)).containsExactly("new_device");
        assertThat(RiskEvaluationIntegrationTests.factor(bEvaluation, "new_device").get("reason").asString())
                .contains("first recorded login");
        assertThat(bEvaluation.get("recommendation").asString()).isEqualTo("allow");

        // nothing b did changed a's data
        JsonNode aPolicy = a.get("/auth/risk/policies/{id}", policyId).getBody();
        assertThat(aPolicy.get("name").asString()).isEqualTo("deny outside France");
        assertThat(aPolicy.get("enabled").asBoolean()).isTrue();
        assertThat(a.get("/auth/risk/policies").getBody().get("total").asLong()).isEqualTo(1);
        assertThat(a.get("/auth/risk/users/{user}/signals", "shared-user").getBody().get("total").asLong())
                .isEqualTo(1);
        JsonNode aStats = a.get("/auth/risk/stats").getBody();
        assertThat(aStats.get("totalEvaluations").asLong()).isEqualTo(2);
        assertThat(b.get("/auth/risk/stats").getBody().get("totalEvaluations").asLong()).isEqualTo(1);
        // and a's policy still applies to a
        JsonNode aFromTokyo = a.evaluated(of("other-user").from(TOKYO).device("x").body());
        assertThat(aFromTokyo.get("recommendation").asString()).isEqualTo("deny");
    }

    private static void assertNotFound(ResponseEntity<JsonNode> response) {
        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getBody().get("error").asString()).isEqualTo("NOT_FOUND");
        assertThat(response.getBody().toString()).doesNotContain("deny outside France");
    }
}
