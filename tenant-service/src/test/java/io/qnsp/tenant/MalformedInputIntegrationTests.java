package io.qnsp.tenant;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Bodies that are not what an endpoint takes are refused with a 4xx in the QNSP format, never a 5xx. */
@TenantIntegrationTest
class MalformedInputIntegrationTests {

    @LocalServerPort
    int port;

    @Test
    void everyPostRefusesMalformedBodiesWithAClientError() {
        TenantApi api = TenantApi.tenant(port, TenantApi.newTenant());
        List<String> paths = List.of("/tenant/v1/health/snapshots", "/tenant/v1/quotas/forecast",
                "/tenant/v1/onboarding/workflows", "/tenant/v1/onboarding/workflows/wf_unknown/action",
                "/tenant/v1/isolation/audits");
        List<String> bodies = List.of("", "null", "[]", "\"text\"", "{", "{\"metrics\": [1], \"quotaTypes\": {}, "
                + "\"scope\": 7, \"depth\": [], \"templateId\": 5, \"parameters\": [], \"action\": {}}");
        for (String path : paths) {
            for (String body : bodies) {
                ResponseEntity<JsonNode> response = api.postJson(path, body);
                assertThat(response.getStatusCode().value()).as("POST %s with %s: %s", path, body, response.getBody())
                        .isBetween(400, 499);
                assertThat(response.getBody().get("statusCode").asInt())
                        .isEqualTo(response.getStatusCode().value());
            }
        }
    }
}
