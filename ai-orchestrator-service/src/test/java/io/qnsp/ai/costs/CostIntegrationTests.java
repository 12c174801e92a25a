package io.qnsp.ai.costs;

import io.qnsp.ai.AiOrchestratorIntegrationTests;
import io.qnsp.test.http.ServiceApi;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Cost analytics and recommendations computed from recorded usage, against figures worked out by hand. */
class CostIntegrationTests extends AiOrchestratorIntegrationTests {

    private static final String H1 = "a1".repeat(32);
    private static final String H2 = "b2".repeat(32);

    private static void use(ServiceApi api, String model, String user, long input, long output, double cost,
                            String hash, Instant at, String deployment) {
        Map<String, Object> usage = new HashMap<>(Map.of("modelId", model, "userId", user, "inputTokens", input,
                "outputTokens", output, "latencyMs", 120, "cost", cost));
        if (hash != null) {
            usage.put("promptHash", hash);
        }
        if (at != null) {
            usage.put("occurredAt", at.toString());
        }
        if (deployment != null) {
            usage.put("deploymentId", deployment);
        }
        JsonNode recorded = expect(api.post("/ai/v1/usage", usage), 201);
        assertThat(recorded.get("modelId").asString()).isEqualTo(model);
    }

    private static JsonNode category(JsonNode breakdown, String name) {
        for (JsonNode category : breakdown) {
            if (category.get("category").asString().equals(name)) {
                return category;
            }
        }
        throw new AssertionError("no category " + name + " in " + breakdown);
    }

    private static JsonNode recommendation(JsonNode recommendations, String type) {
        for (JsonNode r : recommendations) {
            if (r.get("type").asString().equals(type)) {
                return r;
            }
        }
        throw new AssertionError("no " + type + " in " + recommendations);
    }

    @Test
    void analyticsAndRecommendationsFollowTheRecordedUsage() {
        String tenant = newTenant();
        ServiceApi api = owner(tenant);
        String big = activeModel(api, "big", "llm");
        String small = activeModel(api, "small", "llm");
        String embedder = activeModel(api, "embedder", "embedding");
        String deployment = expect(api.post("/ai/v1/registry/deployments", body("modelId", big)), 201)
                .get("deploymentId").asString();

        // big: 4 requests of 1,500 tokens at 0.045 each (0.00003 per token); prompts h1, h1, h1, h2
        use(api, big, "alice", 1000, 500, 0.045, H1, null, deployment);
        use(api, big, "alice", 1000, 500, 0.045, H1, null, null);
        use(api, big, "alice", 1000, 500, 0.045, H1, null, null);
        use(api, big, "alice", 1000, 500, 0.045, H2, null, null);
        // small: 2 requests of 1,000 tokens at 0.002 each (0.000002 per token)
        use(api, small, "bob", 800, 200, 0.002, null, null, null);
        use(api, small, "bob", 800, 200, 0.002, null, null, null);
        // embedder: 3 small requests of 200 tokens at 0.0001 each
        use(api, embedder, "carol", 200, 0, 0.0001, null, null, null);
        use(api, embedder, "carol", 200, 0, 0.0001, null, null, null);
        use(api, embedder, "carol", 200, 0, 0.0001, null, null, null);
        // 40 days ago: in the period before the last 30 days
        use(api, big, "alice", 1000, 500, 0.1, null, Instant.now().minus(40, ChronoUnit.DAYS), null);

        JsonNode analytics = expect(api.get("/ai/v1/costs/analytics?period=30d&groupBy=model"), 200);
        // 4 * 0.045 + 2 * 0.002 + 3 * 0.0001
        assertThat(analytics.get("totalCost").asDouble()).isCloseTo(0.1843, within(1e-9));
        assertThat(analytics.get("currency").asString()).isEqualTo("USD");
        JsonNode breakdown = analytics.get("breakdown");
        assertThat(breakdown.size()).isEqualTo(3);
        assertThat(breakdown.get(0).get("category").asString()).isEqualTo("big@1.0");
        assertThat(category(breakdown, "big@1.0").get("cost").asDouble()).isCloseTo(0.18, within(1e-9));
        assertThat(category(breakdown, "big@1.0").get("tokenCount").asLong()).isEqualTo(6000);
        assertThat(category(breakdown, "small@1.0").get("cost").asDouble()).isCloseTo(0.004, within(1e-9));
        assertThat(category(breakdown, "small@1.0").get("tokenCount").asLong()).isEqualTo(2000);
        assertThat(category(breakdown, "embedder@1.0").get("tokenCount").asLong()).isEqualTo(600);
        JsonNode trend = analytics.get("trend");
        assertThat(trend.get("previousPeriodCost").asDouble()).isCloseTo(0.1, within(1e-9));
        assertThat(trend.get("change").asDouble()).isCloseTo(0.0843, within(1e-9));
        assertThat(trend.get("changePercent").asDouble()).isCloseTo(84.3, within(1e-9));
        assertThat(trend.get("direction").asString()).isEqualTo("up");

        JsonNode byUser = expect(api.get("/ai/v1/costs/analytics?period=24h&groupBy=user"), 200);
        assertThat(byUser.get("totalCost").asDouble()).isCloseTo(0.1843, within(1e-9));
        assertThat(category(byUser.get("breakdown"), "bob").get("cost").asDouble()).isCloseTo(0.004, within(1e-9));
        assertThat(byUser.get("trend").get("changePercent").isNull()).isTrue();
        JsonNode byDeployment = expect(api.get("/ai/v1/costs/analytics?groupBy=deployment"), 200);
        assertThat(category(byDeployment.get("breakdown"), deployment).get("cost").asDouble())
                .isCloseTo(0.045, within(1e-9));
        assertThat(category(byDeployment.get("breakdown"), "unassigned").get("cost").asDouble())
                .isCloseTo(0.1393, within(1e-9));

        JsonNode recommendations = expect(api.get("/ai/v1/costs/recommendations"), 200).get("recommendations");
        assertThat(recommendations.size()).isEqualTo(3);
        // big's 6,000 tokens at 0.00003 instead of small's 0.000002 per token: 6000 * 0.000028
        JsonNode modelSwitch = recommendation(recommendations, "model_switch");
        assertThat(modelSwitch.get("estimatedSavings").asDouble()).isCloseTo(0.168, within(1e-9));
        assertThat(modelSwitch.get("modelId").asString()).isEqualTo(big);
        assertThat(modelSwitch.get("title").asString()).contains("small@1.0");
        assertThat(modelSwitch.get("status").asString()).isEqualTo("pending");
        // two repeats of h1 at 0.045 each
        assertThat(recommendation(recommendations, "caching").get("estimatedSavings").asDouble())
                .isCloseTo(0.09, within(1e-9));
        // the embedder's 3 requests under 1,000 tokens cost 0.0003; the batch discount of 0.5 saves half
        JsonNode batching = recommendation(recommendations, "batch_optimization");
        assertThat(batching.get("estimatedSavings").asDouble()).isCloseTo(0.00015, within(1e-9));
        assertThat(batching.get("modelId").asString()).isEqualTo(embedder);
        assertThat(recommendations.get(0).get("type").asString()).isEqualTo("model_switch");
        // the ids are stable
        assertThat(expect(api.get("/ai/v1/costs/recommendations"), 200).get("recommendations").get(0)
                .get("recommendationId").asString()).isEqualTo(modelSwitch.get("recommendationId").asString());

        // another tenant sees none of it and cannot record usage for the models
        ServiceApi other = owner(newTenant());
        JsonNode theirs = expect(other.get("/ai/v1/costs/analytics"), 200);
        assertThat(theirs.get("totalCost").asDouble()).isZero();
        assertThat(theirs.get("breakdown").isEmpty()).isTrue();
        assertThat(expect(other.get("/ai/v1/costs/recommendations"), 200).get("recommendations").isEmpty()).isTrue();
        assertFieldRefused(other.post("/ai/v1/usage", body("modelId", big, "inputTokens", 1, "outputTokens", 1,
                "latencyMs", 1, "cost", 1)), "modelId");
        assertThat(auditEvents(tenant, "ai.usage.recorded", "success")).isEqualTo(10);
        assertThat(auditEvents(tenant, "ai.costs.analytics.read", "success")).isEqualTo(3);
    }

    @Test
    void badUsageAndQueriesAreRefusedNamingTheField() {
        ServiceApi api = owner(newTenant());
        String model = activeModel(api, "m", "llm");
        assertFieldRefused(api.get("/ai/v1/costs/analytics?period=forever"), "period");
        assertFieldRefused(api.get("/ai/v1/costs/analytics?period=400d"), "period");
        assertFieldRefused(api.get("/ai/v1/costs/analytics?groupBy=planet"), "groupBy");
        Map<String, Object> valid = Map.of("modelId", model, "inputTokens", 1, "outputTokens", 1, "latencyMs", 1,
                "cost", 0.01);
        assertFieldRefused(api.post("/ai/v1/usage", without(valid, "cost")), "cost");
        assertFieldRefused(api.post("/ai/v1/usage", with(valid, "inputTokens", -1)), "inputTokens");
        assertFieldRefused(api.post("/ai/v1/usage", with(valid, "cost", -0.5)), "cost");
        assertFieldRefused(api.post("/ai/v1/usage", with(valid, "promptHash", "not hex")), "promptHash");
        assertFieldRefused(api.post("/ai/v1/usage", with(valid, "deploymentId", UUID.randomUUID().toString())),
                "deploymentId");
        assertFieldRefused(api.post("/ai/v1/usage", with(valid, "occurredAt",
                Instant.now().plus(2, ChronoUnit.DAYS).toString())), "occurredAt");
        assertFieldRefused(api.post("/ai/v1/usage", without(valid, "modelId")), "modelId");
    }

    private static Map<String, Object> with(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, Object> without(Map<String, Object> map, String key) {
        Map<String, Object> copy = new HashMap<>(map);
        copy.remove(key);
        return copy;
    }
}
