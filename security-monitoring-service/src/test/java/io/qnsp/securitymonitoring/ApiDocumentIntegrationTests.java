package io.qnsp.securitymonitoring;

import io.qnsp.test.contract.ApiDocumentRules;
import io.qnsp.test.http.ServiceApi;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** The service's OpenAPI document keeps the platform's rules and describes every operation of the reference. */
class ApiDocumentIntegrationTests extends SecurityMonitoringIntegrationTests {

    @Test
    void theDocumentKeepsTheRulesAndListsTheReferencesOperations() {
        JsonNode document = expect(ServiceApi.withToken(port, null).get("/v3/api-docs"), 200);
        assertThat(ApiDocumentRules.violations(document.toString())).isEmpty();
        Map<String, List<String>> operations = Map.of(
                "/security/v1/playbooks", List.of("post"),
                "/security/v1/playbooks/execute", List.of("post"),
                "/security/v1/attack-surface/analyze", List.of("post"),
                "/security/v1/attack-surface/simulate", List.of("post"),
                "/security/v1/compliance/controls", List.of("post"),
                "/security/v1/compliance/assess", List.of("post"));
        operations.forEach((path, methods) -> methods.forEach(method ->
                assertThat(document.at("/paths/" + path.replace("/", "~1") + "/" + method).isMissingNode())
                        .as(method + " " + path).isFalse()));
        assertThat(document.at("/paths/~1security~1v1~1playbooks~1execute/post/x-required-scopes").toString())
                .contains(SecurityScopes.WRITE);
    }
}
