package io.qnsp.audit.streaming;

import io.qnsp.audit.AuditApi;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The streaming API over real HTTP as one caller (no token when {@code null}), answers of every status kept. */
final class StreamingApi {

    private final AuditApi api;

    StreamingApi(int port, String token) {
        this.api = AuditApi.withToken(port, token);
    }

    ResponseEntity<JsonNode> get(String uri) {
        return api.get(uri);
    }

    ResponseEntity<JsonNode> post(String uri, String json) {
        return api.postJson(uri, json);
    }

    ResponseEntity<JsonNode> patch(String uri, String json) {
        return api.patchJson(uri, json);
    }

    ResponseEntity<JsonNode> delete(String uri) {
        return api.delete(uri);
    }

    /** Creates a subscription and answers its body; fails unless 201. */
    JsonNode create(String json) {
        ResponseEntity<JsonNode> response = post("/v1/streaming/subscriptions", json);
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(201);
        return response.getBody();
    }

    static JsonNode ok(ResponseEntity<JsonNode> response) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(200);
        return response.getBody();
    }

    /** Asserts a qnsp-family error and answers its body. */
    static JsonNode error(ResponseEntity<JsonNode> response, int status, String error) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        JsonNode body = response.getBody();
        assertThat(body.get("statusCode").asInt()).isEqualTo(status);
        assertThat(body.get("error").asString()).as("%s", body).isEqualTo(error);
        assertThat(body.get("requestId").asString()).isEqualTo(response.getHeaders().getFirst("X-Request-Id"));
        return body;
    }

    /** Asserts a 400 naming the field in {@code details.field}. */
    static void invalid(ResponseEntity<JsonNode> response, String field) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(400);
        assertThat(response.getBody().get("details").get("field").asString()).as("%s", response.getBody())
                .isEqualTo(field);
    }

    /** A webhook subscription body. */
    static String webhook(String name, String url, String secret, String filters) {
        return """
                {"name": "%s", %s"destination": {"type": "webhook", "config": {"url": "%s"%s}}}"""
                .formatted(name, filters == null ? "" : "\"filters\": " + filters + ", ", url,
                        secret == null ? "" : ", \"secret\": \"" + secret + "\"");
    }
}
