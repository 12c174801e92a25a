package io.qnsp.access;

import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks every access-service test shares, on answers in the QNSP error format. */
public final class AccessAssertions {

    private AccessAssertions() {
    }

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
        assertThat(response.getBody().get("details").get("field").asString()).as("%s", response.getBody())
                .isEqualTo(field);
        assertThat(response.getBody().get("message").asString()).contains(field);
    }

    /** The status, and the same in the error body when there is one. */
    public static void assertStatus(ResponseEntity<JsonNode> response, int status) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        if (response.getBody() != null && response.getBody().has("statusCode")) {
            assertThat(response.getBody().get("statusCode").asInt()).isEqualTo(status);
        }
    }

    public static void assertNotFound(ResponseEntity<JsonNode> response) {
        assertStatus(response, 404);
    }

    /** A 403 whose message names what is missing (a scope or a role). */
    public static void assertForbidden(ResponseEntity<JsonNode> response, String missing) {
        assertStatus(response, 403);
        assertThat(response.getBody().get("message").asString()).contains(missing);
    }
}
