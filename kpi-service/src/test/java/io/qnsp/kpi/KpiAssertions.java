package io.qnsp.kpi;

import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks on answers in spec 000's error model: {@code {"error": "<code>", "message", "details", "requestId"}}. */
public final class KpiAssertions {

    /** Spec 000's error table: every code the KPI store may answer with. */
    public static final List<String> TABLE_CODES = List.of("invalid_request", "unauthorized", "forbidden",
            "not_found", "version_conflict", "rate_limited", "internal_error", "dependency_down");

    private KpiAssertions() {
    }

    /** The status and spec 000's error body with the code: exactly the fields error, message, details, requestId. */
    public static JsonNode assertError(ResponseEntity<JsonNode> response, int status, String code) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        JsonNode body = response.getBody();
        assertThat(body).as("error body").isNotNull();
        List<String> fields = new ArrayList<>(body.propertyNames());
        assertThat(fields).containsExactly("error", "message", "details", "requestId");
        assertThat(body.get("error").asString()).isEqualTo(code).isIn(TABLE_CODES);
        assertThat(body.get("message").asString()).isNotBlank();
        assertThat(body.get("details").isObject()).isTrue();
        assertThat(body.get("requestId").asString())
                .isEqualTo(response.getHeaders().getFirst("X-Request-Id"));
        return body;
    }

    /** A 400 invalid_request naming the field. */
    public static JsonNode assertFieldRefused(ResponseEntity<JsonNode> response, String field) {
        JsonNode body = assertError(response, 400, "invalid_request");
        assertThat(body.get("details").get("field").asString()).as("%s", body).isEqualTo(field);
        assertThat(body.get("message").asString()).contains(field);
        return body;
    }
}
