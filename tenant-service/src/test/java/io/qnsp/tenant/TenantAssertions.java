package io.qnsp.tenant;

import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks tenant-service tests share, on answers in the QNSP error format. */
public final class TenantAssertions {

    private TenantAssertions() {
    }

    public static JsonNode ok(ResponseEntity<JsonNode> response) {
        return ok(response, 200);
    }

    public static JsonNode ok(ResponseEntity<JsonNode> response, int status) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        return response.getBody();
    }

    /** A 400 naming the field, in the body's details and in its message. */
    public static void assertFieldRefused(ResponseEntity<JsonNode> response, String field) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(400);
        assertThat(response.getBody().get("error").asString()).isEqualTo("BAD_REQUEST");
        assertThat(response.getBody().get("details").get("field").asString()).isEqualTo(field);
        assertThat(response.getBody().get("message").asString()).contains(field);
    }

    public static void assertStatus(ResponseEntity<JsonNode> response, int status) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        if (response.getBody() != null && response.getBody().has("statusCode")) {
            assertThat(response.getBody().get("statusCode").asInt()).isEqualTo(status);
        }
    }
}
