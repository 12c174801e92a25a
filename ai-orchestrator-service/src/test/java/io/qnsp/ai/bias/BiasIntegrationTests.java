package io.qnsp.ai.bias;

import io.qnsp.ai.AiOrchestratorIntegrationTests;
import io.qnsp.test.http.ServiceApi;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** Bias evaluations computed in the background over a supplied CSV, checked against figures worked out by hand. */
class BiasIntegrationTests extends AiOrchestratorIntegrationTests {

    /** Twelve scored examples; the expected figures below are counted from these rows by hand. */
    static final String CSV = """
            gender,age,prediction,label,score
            f,young,1,1,0.92
            f,young,0,1,0.35
            f,old,1,0,0.61
            f,old,0,0,0.08
            f,young,0,0,0.22
            f,old,1,1,0.77
            m,young,1,1,0.88
            m,old,1,0,0.71
            m,young,1,1,0.95
            m,old,0,1,0.45
            m,young,1,0,0.66
            m,old,0,0,0.15
            """;

    private static String create(ServiceApi api, String model, String type, Map<String, Object> dataset,
                                 List<String> attributes) {
        JsonNode created = expect(api.post("/ai/v1/bias/evaluations", body("modelId", model, "evaluationType", type,
                "testDataset", dataset, "protectedAttributes", attributes)), 201);
        assertThat(created.get("status").asString()).isEqualTo("created");
        assertThat(created.get("createdAt").asString()).isNotBlank();
        return created.get("evaluationId").asString();
    }

    /** Starts the evaluation and waits until it is completed or failed. */
    private static JsonNode run(ServiceApi api, String evaluation) {
        JsonNode started = expect(api.post("/ai/v1/bias/evaluations/" + evaluation + "/start"), 202);
        assertThat(started.get("evaluationId").asString()).isEqualTo(evaluation);
        assertThat(started.get("status").asString()).isEqualTo("running");
        assertThat(started.get("startedAt").asString()).isNotBlank();
        AtomicReference<JsonNode> finished = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode view = expect(api.get("/ai/v1/bias/evaluations/" + evaluation), 200);
            finished.set(view);
            return List.of("completed", "failed").contains(view.get("status").asString());
        });
        return finished.get();
    }

    private static JsonNode attribute(JsonNode view, String name) {
        for (JsonNode attribute : view.get("result").get("attributes")) {
            if (attribute.get("attribute").asString().equals(name)) {
                return attribute;
            }
        }
        throw new AssertionError("no attribute " + name + " in " + view);
    }

    private static double groupFigure(JsonNode attribute, String group, String figure) {
        for (JsonNode g : attribute.get("groups")) {
            if (g.get("group").asString().equals(group)) {
                return g.get("figures").get(figure).asDouble();
            }
        }
        throw new AssertionError("no group " + group + " in " + attribute);
    }

    @Test
    void demographicParityEqualizedOddsAndCalibrationMatchTheFiguresCountedByHand() {
        String tenant = newTenant();
        ServiceApi api = owner(tenant);
        String model = activeModel(api, "credit-scorer", "classification");

        // demographic parity, the CSV inline
        String parity = create(api, model, "demographic_parity", Map.of("source", "loans-q3.csv", "content", CSV),
                List.of("gender", "age"));
        JsonNode dp = run(api, parity);
        assertThat(dp.get("status").asString()).isEqualTo("completed");
        // gender: f predicts 1 in rows 1, 3, 6 of 6 = 1/2; m in rows 7, 8, 9, 11 of 6 = 4/6
        JsonNode gender = attribute(dp, "gender");
        assertThat(groupFigure(gender, "f", "selectionRate")).isCloseTo(3.0 / 6, within(1e-9));
        assertThat(groupFigure(gender, "m", "selectionRate")).isCloseTo(4.0 / 6, within(1e-9));
        assertThat(gender.get("value").asDouble()).isCloseTo(1.0 / 6, within(1e-9));
        // age: young rows 1, 2, 5, 7, 9, 11 predict 1, 0, 0, 1, 1, 1 = 4/6; old rows 3, 4, 6, 8, 10, 12: 3/6
        JsonNode age = attribute(dp, "age");
        assertThat(groupFigure(age, "young", "selectionRate")).isCloseTo(4.0 / 6, within(1e-9));
        assertThat(groupFigure(age, "old", "selectionRate")).isCloseTo(3.0 / 6, within(1e-9));
        assertThat(dp.get("metricValue").asDouble()).isCloseTo(1.0 / 6, within(1e-9));
        assertThat(dp.get("result").get("metric").asString()).isEqualTo("demographic_parity_difference");
        assertThat(dp.get("result").get("rows").asInt()).isEqualTo(12);

        // equalized odds, the CSV as a base64 data: URI
        String base64 = "data:text/csv;base64," + Base64.getEncoder().encodeToString(CSV.getBytes(
                StandardCharsets.UTF_8));
        JsonNode eo = run(api, create(api, model, "equalized_odds", Map.of("source", base64), List.of("gender")));
        assertThat(eo.get("status").asString()).isEqualTo("completed");
        // f: label 1 in rows 1, 2, 6 predicted 1, 0, 1 -> TPR 2/3; label 0 in rows 3, 4, 5 predicted 1, 0, 0 -> FPR 1/3
        // m: label 1 in rows 7, 9, 10 predicted 1, 1, 0 -> TPR 2/3; label 0 in rows 8, 11, 12 -> 1, 1, 0 -> FPR 2/3
        JsonNode eoGender = attribute(eo, "gender");
        assertThat(groupFigure(eoGender, "f", "truePositiveRate")).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(groupFigure(eoGender, "f", "falsePositiveRate")).isCloseTo(1.0 / 3, within(1e-9));
        assertThat(groupFigure(eoGender, "m", "truePositiveRate")).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(groupFigure(eoGender, "m", "falsePositiveRate")).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(eo.get("metricValue").asDouble()).isCloseTo(1.0 / 3, within(1e-9));

        // calibration, the CSV as a percent-encoded data: URI
        String encoded = "data:text/csv," + URLEncoder.encode(CSV, StandardCharsets.UTF_8).replace("+", "%20");
        JsonNode cal = run(api, create(api, model, "calibration", Map.of("source", encoded),
                List.of("gender", "age")));
        assertThat(cal.get("status").asString()).isEqualTo("completed");
        // every f row falls in a bin of its own (0.92->9, 0.35->3, 0.61->6, 0.08->0, 0.22->2, 0.77->7), so its error
        // is the mean of |score - label|: (0.08 + 0.65 + 0.61 + 0.08 + 0.22 + 0.23) / 6 = 1.87 / 6
        // m likewise: (0.12 + 0.71 + 0.05 + 0.55 + 0.66 + 0.15) / 6 = 2.24 / 6
        JsonNode calGender = attribute(cal, "gender");
        assertThat(groupFigure(calGender, "f", "expectedCalibrationError")).isCloseTo(1.87 / 6, within(1e-9));
        assertThat(groupFigure(calGender, "m", "expectedCalibrationError")).isCloseTo(2.24 / 6, within(1e-9));
        assertThat(calGender.get("value").asDouble()).isCloseTo(0.37 / 6, within(1e-9));
        // young: bin 9 holds 0.92 and 0.95 (labels 1, 1): |0.935 - 1| twice; then 0.35, 0.22, 0.88, 0.66 alone
        //   (2 * 0.065 + 0.65 + 0.22 + 0.12 + 0.66) / 6 = 1.78 / 6
        // old: bin 7 holds 0.77 (1) and 0.71 (0): |0.74 - 0.5| twice; then 0.61, 0.08, 0.45, 0.15 alone
        //   (2 * 0.24 + 0.61 + 0.08 + 0.55 + 0.15) / 6 = 1.87 / 6
        JsonNode calAge = attribute(cal, "age");
        assertThat(groupFigure(calAge, "young", "expectedCalibrationError")).isCloseTo(1.78 / 6, within(1e-9));
        assertThat(groupFigure(calAge, "old", "expectedCalibrationError")).isCloseTo(1.87 / 6, within(1e-9));
        assertThat(calAge.get("value").asDouble()).isCloseTo(0.09 / 6, within(1e-9));
        assertThat(cal.get("metricValue").asDouble()).isCloseTo(0.37 / 6, within(1e-9));

        // the summary: one model; parity (1/6) and odds (1/3) above the 0.1 threshold, calibration below
        JsonNode summary = expect(api.get("/ai/v1/bias/summary"), 200);
        assertThat(summary.get("modelsEvaluated").asLong()).isEqualTo(1);
        assertThat(summary.get("activeIncidents").asLong()).isEqualTo(2);
        double expectedScore = (100 * (1 - 1.0 / 6) + 100 * (1 - 1.0 / 3) + 100 * (1 - 0.37 / 6)) / 3;
        assertThat(summary.get("overallFairnessScore").asDouble()).isCloseTo(expectedScore, within(1e-6));
        assertThat(summary.get("recentEvaluations").size()).isEqualTo(3);
        assertThat(summary.get("recentEvaluations").get(0).get("evaluationType").asString()).isEqualTo("calibration");

        // an evaluation runs once
        expect(api.post("/ai/v1/bias/evaluations/" + parity + "/start"), 409);
        assertThat(auditEvents(tenant, "ai.bias.evaluation.created", "success")).isEqualTo(3);
        assertThat(auditEvents(tenant, "ai.bias.evaluation.started", "success")).isEqualTo(3);
    }

    @Test
    void anEvaluationOverASampleWithOneGroupFailsWithTheReason() {
        ServiceApi api = owner(newTenant());
        String model = activeModel(api, "one-sided", "classification");
        // the first six rows are all f
        String evaluation = create(api, model, "demographic_parity", Map.of("content", CSV, "sampleSize", 6),
                List.of("gender"));
        JsonNode failed = run(api, evaluation);
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("failure").asString()).contains("gender").contains("at least two");
        assertThat(failed.get("metricValue").isNull()).isTrue();
        JsonNode summary = expect(api.get("/ai/v1/bias/summary"), 200);
        assertThat(summary.get("modelsEvaluated").asLong()).isZero();
        assertThat(summary.get("overallFairnessScore").isNull()).isTrue();
        assertThat(summary.get("recentEvaluations").get(0).get("status").asString()).isEqualTo("failed");
    }

    @Test
    void anotherTenantCannotSeeOrStartTheEvaluations() {
        ServiceApi alpha = owner(newTenant());
        String model = activeModel(alpha, "alpha-model", "classification");
        String evaluation = create(alpha, model, "demographic_parity", Map.of("content", CSV), List.of("gender"));
        ServiceApi beta = owner(newTenant());
        expect(beta.post("/ai/v1/bias/evaluations/" + evaluation + "/start"), 404);
        expect(beta.get("/ai/v1/bias/evaluations/" + evaluation), 404);
        assertFieldRefused(beta.post("/ai/v1/bias/evaluations", body("modelId", model, "evaluationType",
                "demographic_parity", "testDataset", Map.of("content", CSV), "protectedAttributes",
                List.of("gender"))), "modelId");
        assertThat(expect(beta.get("/ai/v1/bias/summary"), 200).get("recentEvaluations").isEmpty()).isTrue();
        assertThat(expect(alpha.get("/ai/v1/bias/evaluations/" + evaluation), 200).get("status").asString())
                .isEqualTo("created");
    }

    @Test
    void badEvaluationsAreRefusedNamingTheField() {
        ServiceApi api = owner(newTenant());
        String model = activeModel(api, "m", "classification");
        String uri = "/ai/v1/bias/evaluations";
        Map<String, Object> inline = Map.of("content", CSV);
        List<String> gender = List.of("gender");
        assertFieldRefused(api.post(uri, body("evaluationType", "calibration", "testDataset", inline,
                "protectedAttributes", gender)), "modelId");
        assertFieldRefused(api.post(uri, body("modelId", model, "evaluationType", "vibes", "testDataset", inline,
                "protectedAttributes", gender)), "evaluationType");
        assertFieldRefused(api.post(uri, body("modelId", model, "evaluationType", "calibration",
                "protectedAttributes", gender)), "testDataset");
        assertFieldRefused(api.post(uri, body("modelId", model, "evaluationType", "calibration", "testDataset", inline,
                "protectedAttributes", List.of())), "protectedAttributes");
        assertFieldRefused(api.post(uri, body("modelId", model, "evaluationType", "calibration", "testDataset", inline,
                "protectedAttributes", List.of("religion"))), "testDataset.content");
        assertFieldRefused(api.post(uri, body("modelId", model, "evaluationType", "calibration",
                "testDataset", Map.of("source", "https://example.com/data.csv"), "protectedAttributes", gender)),
                "testDataset.source");
        assertFieldRefused(api.post(uri, body("modelId", model, "evaluationType", "calibration",
                "testDataset", Map.of("content", CSV, "sampleSize", 13), "protectedAttributes", gender)),
                "testDataset.sampleSize");
        assertFieldRefused(api.post(uri, body("modelId", model, "evaluationType", "equalized_odds",
                "testDataset", Map.of("content", "gender,prediction,label\nf,1,yes\n"), "protectedAttributes",
                gender)), "testDataset.content");
        assertFieldRefused(api.post(uri, body("modelId", model, "evaluationType", "calibration",
                "testDataset", Map.of("content", "gender,score,label\nf,1.5,1\n"), "protectedAttributes", gender)),
                "testDataset.content");
        expect(api.post("/ai/v1/bias/evaluations/" + UUID.randomUUID() + "/start"), 404);
    }
}
