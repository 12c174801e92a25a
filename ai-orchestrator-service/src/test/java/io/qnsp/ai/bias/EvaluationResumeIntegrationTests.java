package io.qnsp.ai.bias;

import io.qnsp.ai.AiOrchestratorIntegrationTests;
import io.qnsp.test.http.ServiceApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An evaluation left running by an instance that stopped is computed when an instance starts. */
class EvaluationResumeIntegrationTests extends AiOrchestratorIntegrationTests {

    @Autowired
    EvaluationRunner runner;

    @Test
    void anEvaluationLeftRunningIsComputedOnResume() {
        ServiceApi api = owner(newTenant());
        String model = activeModel(api, "resumed", "classification");
        String evaluation = expect(api.post("/ai/v1/bias/evaluations", body("modelId", model, "evaluationType",
                "demographic_parity", "testDataset", Map.of("content", "g,prediction\na,1\na,1\nb,0\nb,1\n"),
                "protectedAttributes", List.of("g"))), 201).get("evaluationId").asString();
        // as if an instance had started it and stopped before computing it
        jdbc.update("UPDATE ai_orchestrator.bias_evaluation SET status = 'running', started_at = now() "
                + "WHERE evaluation_id = ?::uuid", evaluation);

        runner.resume();

        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(
                expect(api.get("/ai/v1/bias/evaluations/" + evaluation), 200).get("status").asString()));
        JsonNode done = expect(api.get("/ai/v1/bias/evaluations/" + evaluation), 200);
        // a selects 2 of 2, b 1 of 2
        assertThat(done.get("metricValue").asDouble()).isEqualTo(0.5);
    }
}
