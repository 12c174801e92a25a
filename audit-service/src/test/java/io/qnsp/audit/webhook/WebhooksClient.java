package io.qnsp.audit.webhook;

import io.qnsp.audit.AuditApi;
import io.qnsp.test.token.TestTokens;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Drives the webhook endpoints of a running audit-service over real HTTP as one caller; never throws on a status. */
final class WebhooksClient {

    private final RestClient http;

    private WebhooksClient(RestClient http) {
        this.http = http;
    }

    static WebhooksClient anonymous(int port) {
        return new WebhooksClient(base(port).build());
    }

    static WebhooksClient withToken(int port, String token) {
        return new WebhooksClient(base(port).defaultHeader("Authorization", "Bearer " + token).build());
    }

    /** A tenant user allowed to read and write webhooks. */
    static WebhooksClient writer(int port, String tenant) {
        return withToken(port, TestTokens.forTenant(tenant).subject("user-" + tenant)
                .scopes("read:webhooks", "write:webhooks").mint());
    }

    private static RestClient.Builder base(int port) {
        return AuditApi.client(port, null);
    }

    /** A create body with the given events and no secret or headers. */
    static Map<String, Object> webhook(String name, String url, String... events) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("url", url);
        body.put("events", List.of(events));
        return body;
    }

    ResponseEntity<JsonNode> create(Object body) {
        return http.post().uri("/api/v1/webhooks").contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(JsonNode.class);
    }

    /** Creates a webhook and returns the data of the answer (which holds {@code secret}). */
    JsonNode createWebhook(Object body) {
        ResponseEntity<JsonNode> response = create(body);
        if (response.getStatusCode().value() != 201) {
            throw new IllegalStateException("creating a webhook failed: " + response);
        }
        return response.getBody().get("data");
    }

    ResponseEntity<JsonNode> list(String query) {
        return http.get().uri("/api/v1/webhooks" + (query.isEmpty() ? "" : "?" + query)).retrieve()
                .toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> get(String id) {
        return http.get().uri("/api/v1/webhooks/{id}", id).retrieve().toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> update(String id, Object body) {
        return http.put().uri("/api/v1/webhooks/{id}", id).contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> delete(String id) {
        return http.delete().uri("/api/v1/webhooks/{id}", id).retrieve().toEntity(JsonNode.class);
    }

    /** POST /test, without a body when {@code body} is null. */
    ResponseEntity<JsonNode> test(String id, Object body) {
        RestClient.RequestBodySpec request = http.post().uri("/api/v1/webhooks/{id}/test", id);
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        return request.retrieve().toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> deliveries(String id, String query) {
        return http.get().uri("/api/v1/webhooks/" + id + "/deliveries" + (query.isEmpty() ? "" : "?" + query))
                .retrieve().toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> postRaw(String path, String json) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(json).retrieve()
                .toEntity(JsonNode.class);
    }
}
