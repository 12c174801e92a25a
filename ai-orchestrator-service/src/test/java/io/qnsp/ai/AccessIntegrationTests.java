package io.qnsp.ai;

import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint needs a valid bearer token, the right scope and a caller that belongs to a tenant. */
class AccessIntegrationTests extends AiOrchestratorIntegrationTests {

    record Call(String name, String scope, Function<ServiceApi, ResponseEntity<JsonNode>> send) {
    }

    private static final String ID = UUID.randomUUID().toString();

    private static final List<Call> CALLS = List.of(
            new Call("register", AiScopes.WRITE, api -> api.post("/ai/v1/registry/models", body("name", "m",
                    "version", "1", "type", "llm", "provider", "p"))),
            new Call("activate", AiScopes.WRITE, api -> api.post("/ai/v1/registry/models/" + ID + "/activate")),
            new Call("deprecate", AiScopes.WRITE, api -> api.post("/ai/v1/registry/models/" + ID + "/deprecate",
                    body("reason", "r"))),
            new Call("deploy", AiScopes.WRITE, api -> api.post("/ai/v1/registry/deployments", body("modelId", ID))),
            new Call("usage", AiScopes.WRITE, api -> api.post("/ai/v1/usage", body("modelId", ID, "inputTokens", 1,
                    "outputTokens", 1, "latencyMs", 1, "cost", 1))),
            new Call("analytics", AiScopes.READ, api -> api.get("/ai/v1/costs/analytics")),
            new Call("recommendations", AiScopes.READ, api -> api.get("/ai/v1/costs/recommendations")),
            new Call("evaluate", AiScopes.WRITE, api -> api.post("/ai/v1/bias/evaluations", body("modelId", ID,
                    "evaluationType", "calibration", "testDataset", Map.of("content", "a,score,label\nx,0.5,1\n"),
                    "protectedAttributes", List.of("a")))),
            new Call("start", AiScopes.WRITE, api -> api.post("/ai/v1/bias/evaluations/" + ID + "/start")),
            new Call("evaluation", AiScopes.READ, api -> api.get("/ai/v1/bias/evaluations/" + ID)),
            new Call("summary", AiScopes.READ, api -> api.get("/ai/v1/bias/summary")),
            new Call("pattern", AiScopes.WRITE, api -> api.post("/ai/v1/security/injection/patterns", body("name",
                    "n", "pattern", "x", "category", "jailbreak", "severity", "low"))),
            new Call("analyze", AiScopes.WRITE, api -> api.post("/ai/v1/security/injection/analyze",
                    body("prompt", "hello"))),
            new Call("stats", AiScopes.READ, api -> api.get("/ai/v1/security/injection/stats")));

    @Test
    void everyEndpointRefusesAMissingTokenTheWrongScopeAndACallerWithoutATenant() {
        ServiceApi invalid = ServiceApi.withToken(port, "not-a-token");
        ServiceApi expired = withToken(TestTokens.forTenant(newTenant()).scopes(AiScopes.READ, AiScopes.WRITE)
                .expired());
        ServiceApi noTenant = withToken(TestTokens.withoutTenant().scopes(AiScopes.READ, AiScopes.WRITE));
        for (Call call : CALLS) {
            expect(invalid.get("/ai/v1/bias/summary"), 401);
            JsonNode unauthorized = expect(call.send().apply(invalid), 401);
            assertThat(unauthorized.get("statusCode").asInt()).as(call.name()).isEqualTo(401);
            expect(call.send().apply(expired), 401);
            String other = AiScopes.READ.equals(call.scope()) ? AiScopes.WRITE : AiScopes.READ;
            ServiceApi wrongScope = withToken(TestTokens.forTenant(newTenant()).scopes(other));
            JsonNode forbidden = expect(call.send().apply(wrongScope), 403);
            assertThat(forbidden.get("statusCode").asInt()).as(call.name()).isEqualTo(403);
            expect(call.send().apply(noTenant), 403);
        }
    }
}
