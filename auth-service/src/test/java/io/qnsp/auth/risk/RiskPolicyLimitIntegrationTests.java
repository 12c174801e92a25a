package io.qnsp.auth.risk;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code qnsp.auth.risk.*} settings take effect: a tenant holds at most the configured number of policies, and
 * tokens carrying their scopes as a JSON list (as auth-service issues them) are honoured.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"qnsp.auth.risk.max-policies-per-tenant=2", "qnsp.auth.risk.default-challenge-type=captcha"})
@ActiveProfiles("test")
@EmbeddedInfrastructure
class RiskPolicyLimitIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void aTenantHoldsAtMostTheConfiguredNumberOfPolicies() {
        String tenant = RiskApi.freshTenant();
        RiskApi api = RiskApi.withToken(port, TestTokens.forTenant(tenant).scopes("risk:read", "risk:write")
                .scopesAsList().mint());
        String first = api.createdPolicy(Map.of("name", "one", "conditions", Map.of("riskScoreThreshold", 90)));
        api.createdPolicy(Map.of("name", "two", "conditions", Map.of("riskScoreThreshold", 95)));
        ResponseEntity<JsonNode> third = api.createPolicy(Map.of("name", "three",
                "conditions", Map.of("riskScoreThreshold", 99)));
        assertThat(third.getStatusCode().value()).isEqualTo(409);
        assertThat(third.getBody().get("details").get("limit").asInt()).isEqualTo(2);
        assertThat(api.get("/auth/risk/policies").getBody().get("total").asLong()).isEqualTo(2);
        // another tenant has its own allowance
        assertThat(RiskApi.of(port, RiskApi.freshTenant(), "risk:write").createPolicy(Map.of("name", "one",
                "conditions", Map.of("riskScoreThreshold", 90))).getStatusCode().value()).isEqualTo(201);
        // deleting one makes room
        assertThat(api.delete("/auth/risk/policies/{id}", first).getStatusCode().value()).isEqualTo(204);
        assertThat(api.createPolicy(Map.of("name", "three", "conditions", Map.of("riskScoreThreshold", 99)))
                .getStatusCode().value()).isEqualTo(201);
    }

    @Test
    void theConfiguredDefaultChallengeIsAskedForWhenNoPolicyNamesOne() {
        JsonNode medium = RiskApi.of(port, RiskApi.freshTenant())
                .evaluated(TestLogins.of("u").device("d").failedAttempts(1).body());
        assertThat(medium.get("riskScore").asInt()).isEqualTo(35);
        assertThat(medium.get("recommendation").asString()).isEqualTo("challenge");
        assertThat(medium.get("challengeType").asString()).isEqualTo("captcha");
    }
}
