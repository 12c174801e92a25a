package io.qnsp.tenant;

import io.qnsp.test.contract.ApiDocumentRules;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** The service's OpenAPI document keeps the platform's rules and describes every operation of the reference. */
@TenantIntegrationTest
class ApiDocumentIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void theDocumentKeepsTheRulesAndListsTheReferencesOperations() {
        JsonNode document = ok(TenantApi.anonymous(port).get("/v3/api-docs"));
        assertThat(ApiDocumentRules.violations(document.toString())).isEmpty();
        Map<String, List<String>> operations = Map.of(
                "/tenant/v1/health/snapshots", List.of("post"),
                "/tenant/v1/health/current", List.of("get"),
                "/tenant/v1/health/trends", List.of("get"),
                "/tenant/v1/quotas/current", List.of("get"),
                "/tenant/v1/quotas/forecast", List.of("post"),
                "/tenant/v1/onboarding/workflows", List.of("post"),
                "/tenant/v1/onboarding/workflows/{workflowId}/action", List.of("post"),
                "/tenant/v1/isolation/audits", List.of("post"),
                "/tenant/v1/isolation/current-status", List.of("get"));
        operations.forEach((path, methods) -> methods.forEach(method ->
                assertThat(document.at("/paths/" + path.replace("/", "~1") + "/" + method).isMissingNode())
                        .as(method + " " + path).isFalse()));
    }
}
