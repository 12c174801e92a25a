package io.qnsp.observability;

import io.qnsp.test.contract.ApiDocumentRules;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** The service's OpenAPI document keeps the platform's rules and describes every operation of the reference. */
@ObservabilityIntegrationTest
class ApiDocumentIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void theDocumentKeepsTheRulesAndListsTheReferencesOperations() {
        JsonNode document = ok(ObservabilityApi.anonymous(port).get("/v3/api-docs"));
        assertThat(ApiDocumentRules.violations(document.toString())).isEmpty();
        Map<String, List<String>> operations = Map.of(
                "/observability/v1/costs/allocations", List.of("post", "get"),
                "/observability/v1/costs/budgets", List.of("post"),
                "/observability/v1/costs/summary", List.of("get"),
                "/observability/v1/anomaly-detection/rules", List.of("post"),
                "/observability/v1/anomaly-detection/anomalies", List.of("get"),
                "/observability/v1/dashboards", List.of("post", "get"));
        operations.forEach((path, methods) -> methods.forEach(method ->
                assertThat(document.at("/paths/" + path.replace("/", "~1") + "/" + method).isMissingNode())
                        .as(method + " " + path).isFalse()));
    }
}
