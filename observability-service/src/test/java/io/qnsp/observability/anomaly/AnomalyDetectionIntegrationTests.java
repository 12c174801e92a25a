package io.qnsp.observability.anomaly;

import io.qnsp.observability.ObservabilityIntegrationTests;
import io.qnsp.common.events.RequestLogEvent;
import io.qnsp.observability.ObservabilityApi;
import io.qnsp.observability.ObservabilityScopes;
import io.qnsp.observability.PlatformStreams;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.test.http.ApiAssertions.ok;
import static io.qnsp.test.http.ServiceApi.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules over the per-tenant metrics the service builds from the gateway's request log: an error burst of one tenant
 * becomes exactly that tenant's anomaly, once, and is resolved when its traffic is normal again.
 */
class AnomalyDetectionIntegrationTests extends ObservabilityIntegrationTests {

    /** The minute the evaluation runs in; the burst is the minute before it. */
    static final Instant NOW = Instant.parse("2031-03-04T10:00:00Z");
    static final int BASELINE_MINUTES = 30;
    static final int REQUESTS_PER_MINUTE = 10;

    @Autowired
    AnomalyDetection detection;

    @Test
    void anErrorBurstBecomesAnAnomaly() {
        String alphaRule = createErrorRateRule(alphaApi);
        String betaRule = createErrorRateRule(betaApi);
        List<RequestLogEvent> requests = new ArrayList<>();
        requests.addAll(baseline(alpha));
        requests.addAll(baseline(beta));
        // the last minute: alpha answers 8 of 10 requests with a 5xx, beta stays as it always was
        Instant burst = NOW.minus(Duration.ofMinutes(1));
        requests.addAll(minute(alpha, burst, 8));
        requests.addAll(minute(beta, burst, 1));
        streams.log(requests);
        streams.awaitCounted(alpha, (BASELINE_MINUTES + 1) * REQUESTS_PER_MINUTE);
        streams.awaitCounted(beta, (BASELINE_MINUTES + 1) * REQUESTS_PER_MINUTE);

        List<Anomaly> recorded = detection.evaluate(NOW.plusSeconds(5));

        assertThat(recorded).filteredOn(a -> a.tenantId().equals(alpha) || a.tenantId().equals(beta))
                .singleElement().satisfies(a -> assertThat(a.tenantId()).isEqualTo(alpha));
        JsonNode anomalies = ok(alphaApi.anomalies()).get("anomalies");
        assertThat(anomalies.size()).isEqualTo(1);
        JsonNode anomaly = anomalies.get(0);
        assertThat(anomaly.get("ruleId").asString()).isEqualTo(alphaRule);
        assertThat(anomaly.get("metric").asString()).isEqualTo("error_rate");
        assertThat(anomaly.get("status").asString()).isEqualTo("open");
        assertThat(anomaly.get("severity").asString()).isEqualTo("critical");
        assertThat(anomaly.get("windowStart").asString()).isEqualTo(burst.toString());
        assertThat(anomaly.get("observedValue").asDouble()).isEqualTo(0.8);
        // the baseline alternates 0, 1 and 0 errors of 10 requests a minute: its median is 0
        assertThat(anomaly.get("expectedValue").asDouble()).isEqualTo(0.0);
        assertThat(anomaly.get("score").asDouble()).isGreaterThan(7.0);
        assertThat(anomaly.get("detectedAt").asString()).isEqualTo(NOW.plusSeconds(5).toString());
        // beta's minute was like every other: no anomaly, and alpha's is not beta's to see
        assertThat(ok(betaApi.anomalies()).get("anomalies").isEmpty()).isTrue();

        JsonNode audited = streams.awaitAudit(alpha, "observability.anomaly.detected",
                anomaly.get("anomalyId").asString());
        assertThat(audited.get("details").get("ruleId").asString()).isEqualTo(alphaRule);
        assertThat(audited.get("details").get("notificationChannels").asString()).isEqualTo("pagerduty:oncall");
        assertThat(streams.auditEvents(beta)).noneMatch(e -> e.get("action").asString()
                .equals("observability.anomaly.detected"));
        assertThat(betaRule).isNotEqualTo(alphaRule);

        // evaluating the same minute again (another instance, the next tick) records nothing new
        assertThat(detection.evaluate(NOW.plusSeconds(30))).noneMatch(a -> a.tenantId().equals(alpha));
        assertThat(ok(alphaApi.anomalies()).get("anomalies").size()).isEqualTo(1);

        // a normal minute afterwards resolves it
        streams.log(minute(alpha, NOW, 0));
        streams.awaitCounted(alpha, (BASELINE_MINUTES + 2) * REQUESTS_PER_MINUTE);
        detection.evaluate(NOW.plus(Duration.ofMinutes(1)));
        JsonNode resolved = ok(alphaApi.anomalies()).get("anomalies").get(0);
        assertThat(resolved.get("status").asString()).isEqualTo("resolved");
        assertThat(resolved.get("resolvedAt").asString()).isEqualTo(NOW.plus(Duration.ofMinutes(1)).toString());
        assertThat(ok(alphaApi.get("/observability/v1/anomaly-detection/anomalies?status=open"))
                .get("anomalies").isEmpty()).isTrue();
    }

    @Test
    void aThresholdRuleFiresOnItsMetricOnly() {
        String latencyRule = ok(alphaApi.createRule(body("name", "slow", "metric", "latency_max_ms",
                "condition", body("type", "threshold", "parameters", body("above", 500)))), 201)
                .get("ruleId").asString();
        ok(alphaApi.createRule(body("name", "quiet", "metric", "request_count",
                "condition", body("type", "threshold", "parameters", body("below", 5)))), 201);
        Instant minute = NOW.plus(Duration.ofHours(3));
        List<RequestLogEvent> requests = new ArrayList<>(minute(alpha, minute, 0));
        requests.add(PlatformStreams.request(alpha, minute.plusSeconds(59), 200, 1200));
        streams.log(requests);
        streams.awaitCounted(alpha, REQUESTS_PER_MINUTE + 1);

        detection.evaluate(minute.plus(Duration.ofMinutes(1)));

        JsonNode anomalies = ok(alphaApi.anomalies()).get("anomalies");
        assertThat(anomalies.size()).isEqualTo(1);
        assertThat(anomalies.get(0).get("ruleId").asString()).isEqualTo(latencyRule);
        assertThat(anomalies.get(0).get("observedValue").asDouble()).isEqualTo(1200.0);
        assertThat(anomalies.get(0).get("expectedValue").asDouble()).isEqualTo(500.0);
        assertThat(anomalies.get(0).get("severity").asString()).isEqualTo("critical");
    }

    @Test
    void aLateTickEvaluatesTheMinutesItWouldOtherwiseSkip() {
        String rule = ok(alphaApi.createRule(body("name", "busy", "metric", "request_count",
                "condition", body("type", "threshold", "parameters", body("above", 5)))), 201)
                .get("ruleId").asString();
        Instant first = Instant.parse("2032-01-01T08:00:00Z");
        List<RequestLogEvent> requests = new ArrayList<>(minute(alpha, first, 0));
        requests.addAll(minute(alpha, first.plus(Duration.ofMinutes(1)), 0));
        streams.log(requests);
        streams.awaitCounted(alpha, 2L * REQUESTS_PER_MINUTE);

        try {
            clock.pin(first.plus(Duration.ofSeconds(70)));
            detection.evaluateLastMinute();
            // the next tick comes late: both minutes since are evaluated, the busy one and the idle one after it
            clock.pin(first.plus(Duration.ofSeconds(181)));
            detection.evaluateLastMinute();
        } finally {
            clock.release();
        }

        JsonNode anomalies = ok(alphaApi.anomalies()).get("anomalies");
        assertThat(anomalies.valueStream().map(a -> a.get("windowStart").asString()))
                .containsExactly(first.plus(Duration.ofMinutes(1)).toString(), first.toString());
        assertThat(anomalies.valueStream().map(a -> a.get("ruleId").asString())).containsOnly(rule);
        // the idle third minute was normal: both are resolved
        assertThat(anomalies.valueStream().map(a -> a.get("status").asString())).containsOnly("resolved");
    }

    @Test
    void aRuleIsValidatedFieldByField() {
        assertFieldRefused(alphaApi.createRule(body("metric", "error_rate", "condition",
                body("type", "deviation"))), "name");
        assertFieldRefused(alphaApi.createRule(body("name", "r", "metric", "cpu_load", "condition",
                body("type", "deviation"))), "metric");
        assertFieldRefused(alphaApi.createRule(body("name", "r", "metric", "error_rate")), "condition");
        assertFieldRefused(alphaApi.createRule(body("name", "r", "metric", "error_rate", "condition",
                body("type", "seasonal"))), "condition.type");
        assertFieldRefused(alphaApi.createRule(body("name", "r", "metric", "error_rate", "condition",
                body("type", "threshold", "parameters", Map.of()))), "condition.parameters.above");
        assertFieldRefused(alphaApi.createRule(body("name", "r", "metric", "error_rate", "condition",
                body("type", "deviation", "parameters", body("zScore", "high")))), "condition.parameters.zScore");
        assertFieldRefused(alphaApi.createRule(body("name", "r", "metric", "error_rate", "condition",
                body("type", "deviation", "parameters", body("window", 5)))), "condition.parameters.window");
        assertFieldRefused(alphaApi.createRule(body("name", "r", "metric", "error_rate", "condition",
                body("type", "trend", "parameters", body("windowMinutes", 0)))), "condition.parameters.windowMinutes");
        assertFieldRefused(alphaApi.createRule(body("name", "r", "metric", "error_rate", "condition",
                body("type", "deviation"), "sensitivity", "extreme")), "sensitivity");
        assertFieldRefused(alphaApi.get("/observability/v1/anomaly-detection/anomalies?status=closed"), "status");
        assertFieldRefused(alphaApi.get("/observability/v1/anomaly-detection/anomalies?ruleId=nope"), "ruleId");

        ok(alphaApi.createRule(body("name", "errors", "metric", "error_rate", "condition",
                body("type", "deviation"))), 201);
        JsonNode taken = alphaApi.createRule(body("name", "errors", "metric", "error_rate", "condition",
                body("type", "deviation"))).getBody();
        assertThat(taken.get("statusCode").asInt()).isEqualTo(409);
        // another tenant may use the name
        ok(betaApi.createRule(body("name", "errors", "metric", "error_rate", "condition",
                body("type", "deviation"))), 201);
    }

    @Test
    void rulesNeedATokenAndTheirScopes() {
        Map<String, Object> rule = body("name", "r", "metric", "error_rate", "condition", body("type", "deviation"));
        assertStatus(ObservabilityApi.anonymous(port).createRule(rule), 401);
        assertStatus(ObservabilityApi.anonymous(port).anomalies(), 401);
        assertStatus(ObservabilityApi.withScopes(port, alpha, ObservabilityScopes.READ).createRule(rule), 403);
        assertStatus(ObservabilityApi.withScopes(port, alpha, ObservabilityScopes.WRITE).anomalies(), 403);
    }

    @Test
    void creatingARuleIsAudited() {
        String ruleId = ok(alphaApi.createRule(body("name", "audited", "metric", "request_count", "condition",
                body("type", "trend", "parameters", body("windowMinutes", 10, "direction", "down")))), 201)
                .get("ruleId").asString();
        JsonNode event = streams.awaitAudit(alpha, "observability.anomaly_rule.created", ruleId);
        assertThat(event.get("actor").asString()).isEqualTo("operator-" + alpha);
        assertThat(event.get("outcome").asString()).isEqualTo("success");
    }

    private String createErrorRateRule(ObservabilityApi api) {
        JsonNode created = ok(api.createRule(body("name", "5xx bursts", "metric", "error_rate",
                "condition", body("type", "deviation", "parameters", body("baselineMinutes", BASELINE_MINUTES,
                        "direction", "up")),
                "sensitivity", "high", "notificationChannels", List.of("pagerduty:oncall"))), 201);
        assertThat(created.get("name").asString()).isEqualTo("5xx bursts");
        assertThat(created.get("createdAt").asString()).isNotBlank();
        return created.get("ruleId").asString();
    }

    /** Thirty ordinary minutes before the burst: ten requests a minute, every third minute one of them a 5xx. */
    private static List<RequestLogEvent> baseline(String tenant) {
        List<RequestLogEvent> requests = new ArrayList<>();
        for (int i = BASELINE_MINUTES + 1; i >= 2; i--) {
            requests.addAll(minute(tenant, NOW.minus(Duration.ofMinutes(i)), i % 3 == 0 ? 1 : 0));
        }
        return requests;
    }

    private static List<RequestLogEvent> minute(String tenant, Instant minute, int serverErrors) {
        List<RequestLogEvent> requests = new ArrayList<>();
        for (int r = 0; r < REQUESTS_PER_MINUTE; r++) {
            int status = r < serverErrors ? 503 : r == REQUESTS_PER_MINUTE - 1 ? 404 : 200;
            requests.add(PlatformStreams.request(tenant, minute.plusSeconds(r * 5L), status, 40 + r));
        }
        return requests;
    }
}
