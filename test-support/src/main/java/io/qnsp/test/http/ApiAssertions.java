package io.qnsp.test.http;

import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks on answers of the services that speak the QNSP error format ({@code statusCode}, {@code error},
 * {@code message}, {@code details}, {@code requestId}, {@code timestamp}); every failure shows the body.
 */
public final class ApiAssertions {

    private ApiAssertions() {
    }

    /** The body of a 200 answer. */
    public static JsonNode ok(ResponseEntity<JsonNode> response) {
        return ok(response, 200);
    }

    /** The body of an answer with the status given. */
    public static JsonNode ok(ResponseEntity<JsonNode> response, int status) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        return response.getBody();
    }

    /** A 400 {@code BAD_REQUEST} naming the field, in {@code details.field} and in the message. */
    public static void assertFieldRefused(ResponseEntity<JsonNode> response, String field) {
        assertStatus(response, 400);
        JsonNode body = response.getBody();
        assertThat(body).as("error body").isNotNull();
        assertThat(body.get("error").asString()).as("%s", body).isEqualTo("BAD_REQUEST");
        assertThat(body.get("details").get("field").asString()).as("%s", body).isEqualTo(field);
        assertThat(body.get("message").asString()).as("%s", body).contains(field);
    }

    /** The status, and the same {@code statusCode} in the error body when there is one. */
    public static void assertStatus(ResponseEntity<JsonNode> response, int status) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        if (response.getBody() != null && response.getBody().has("statusCode")) {
            assertThat(response.getBody().get("statusCode").asInt()).isEqualTo(status);
        }
    }

    public static void assertNotFound(ResponseEntity<JsonNode> response) {
        assertStatus(response, 404);
    }

    public static void assertConflict(ResponseEntity<JsonNode> response) {
        assertStatus(response, 409);
    }

    /** A 403 whose message names what is missing (a scope or a role). */
    public static void assertForbidden(ResponseEntity<JsonNode> response, String missing) {
        assertStatus(response, 403);
        assertThat(response.getBody().get("message").asString()).as("%s", response.getBody()).contains(missing);
    }
}
