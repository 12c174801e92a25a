package io.qnsp.audit.webhook;

import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks of the DataHub family's answer shapes. */
final class DataHubAssertions {

    private DataHubAssertions() {
    }

    static List<String> names(JsonNode node) {
        return new ArrayList<>(node.propertyNames());
    }

    /** A success envelope with the given status; returns the whole body. */
    static JsonNode successBody(ResponseEntity<JsonNode> response, int status) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        JsonNode body = response.getBody();
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("meta").get("requestId").asString())
                .isEqualTo(response.getHeaders().getFirst("X-Request-Id"));
        assertThat(Instant.parse(body.get("meta").get("timestamp").asString())).isNotNull();
        return body;
    }

    /** A success envelope with the given status; returns its {@code data}. */
    static JsonNode success(ResponseEntity<JsonNode> response, int status) {
        JsonNode body = successBody(response, status);
        assertThat(names(body)).containsExactly("success", "data", "meta");
        return body.get("data");
    }

    /** A paginated success (200); returns the whole body ({@code data}, {@code pagination}). */
    static JsonNode paged(ResponseEntity<JsonNode> response) {
        JsonNode body = successBody(response, 200);
        assertThat(names(body)).containsExactly("success", "data", "pagination", "meta");
        return body;
    }

    /** A DataHub error with this status and code; returns its {@code error} object. */
    static JsonNode error(ResponseEntity<JsonNode> response, int status, String code) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        JsonNode body = response.getBody();
        assertThat(names(body)).containsExactly("success", "error", "meta");
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(names(body.get("error"))).containsExactly("code", "message", "details");
        assertThat(body.get("error").get("code").asString()).as("%s", body).isEqualTo(code);
        assertThat(body.get("meta").get("requestId").asString())
                .isEqualTo(response.getHeaders().getFirst("X-Request-Id"));
        return body.get("error");
    }

    /** A 400 VALIDATION_ERROR naming {@code field} first. */
    static JsonNode validation(ResponseEntity<JsonNode> response, String field) {
        JsonNode error = error(response, 400, "VALIDATION_ERROR");
        assertThat(error.get("details").get("field").asString()).as("%s", error).isEqualTo(field);
        return error;
    }
}
