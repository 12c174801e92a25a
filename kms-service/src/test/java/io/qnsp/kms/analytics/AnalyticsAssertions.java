package io.qnsp.kms.analytics;

import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks the analytics tests share. */
final class AnalyticsAssertions {

    private AnalyticsAssertions() {
    }

    static JsonNode ok(ResponseEntity<JsonNode> response) {
        return ok(response, 200);
    }

    static JsonNode ok(ResponseEntity<JsonNode> response, int status) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        return response.getBody();
    }

    static void assertFieldRefused(ResponseEntity<JsonNode> response, String field) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(400);
        assertThat(response.getBody().get("statusCode").asInt()).isEqualTo(400);
        assertThat(response.getBody().get("error").asString()).isEqualTo("BAD_REQUEST");
        assertThat(response.getBody().get("details").get("field").asString()).isEqualTo(field);
        assertThat(response.getBody().get("message").asString()).contains(field);
    }

    static void assertStatus(ResponseEntity<JsonNode> response, int status) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        if (response.getBody() != null) {
            assertThat(response.getBody().get("statusCode").asInt()).isEqualTo(status);
        }
    }

    static void assertForbidden(ResponseEntity<JsonNode> response, String scope) {
        assertStatus(response, 403);
        assertThat(response.getBody().get("message").asString()).contains(scope);
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
