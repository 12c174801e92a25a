package io.qnsp.kms;

import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks every kms-service test shares, on answers in the QNSP error format. */
public final class KmsAssertions {

    private KmsAssertions() {
    }

    /** The body of a 200 answer; fails showing the body otherwise. */
    public static JsonNode ok(ResponseEntity<JsonNode> response) {
        return ok(response, 200);
    }

    public static JsonNode ok(ResponseEntity<JsonNode> response, int status) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        return response.getBody();
    }

    /** A 400 naming the field, in the body and in the message. */
    public static void assertFieldRefused(ResponseEntity<JsonNode> response, String field) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(400);
        assertThat(response.getBody().get("statusCode").asInt()).isEqualTo(400);
        assertThat(response.getBody().get("error").asString()).isEqualTo("BAD_REQUEST");
        assertThat(response.getBody().get("details").get("field").asString()).isEqualTo(field);
        assertThat(response.getBody().get("message").asString()).contains(field);
    }

    /** The status, and the same in the error body when there is one. */
    public static void assertStatus(ResponseEntity<JsonNode> response, int status) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        if (response.getBody() != null) {
            assertThat(response.getBody().get("statusCode").asInt()).isEqualTo(status);
        }
    }

    public static void assertConflict(ResponseEntity<JsonNode> response) {
        assertStatus(response, 409);
    }

    /** A 403 that names the missing scope. */
    public static void assertForbidden(ResponseEntity<JsonNode> response, String scope) {
        assertStatus(response, 403);
        assertThat(response.getBody().get("message").asString()).contains(scope);
    }

    public static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
