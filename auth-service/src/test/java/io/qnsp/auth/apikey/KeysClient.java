package io.qnsp.auth.apikey;

import io.qnsp.test.token.TestTokens;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Drives the API key endpoints of a running auth-service over real HTTP as one caller; never throws on a status. */
final class KeysClient {

    private final RestClient http;

    private KeysClient(RestClient http) {
        this.http = http;
    }

    static KeysClient anonymous(int port) {
        return new KeysClient(base(port).build());
    }

    static KeysClient withToken(int port, String token) {
        return new KeysClient(base(port).defaultHeader("Authorization", "Bearer " + token).build());
    }

    /** A tenant user allowed to read and write keys. */
    static KeysClient writer(int port, String tenant) {
        return withToken(port, TestTokens.forTenant(tenant).subject("user-" + tenant)
                .scopes("read:keys", "write:keys").mint());
    }

    /** The gateway's client, allowed to verify keys. */
    static KeysClient gateway(int port) {
        return withToken(port, TestTokens.forTenant("platform").subject("gateway")
                .scopes("internal:keys:verify").mint());
    }

    private static RestClient.Builder base(int port) {
        return RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> {
                });
    }

    static Map<String, Object> keyRequest(String name, String... scopes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("scopes", List.of(scopes.length == 0 ? new String[]{"read:requests"} : scopes));
        return body;
    }

    ResponseEntity<JsonNode> create(Object body) {
        return http.post().uri("/api/v1/keys").contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(JsonNode.class);
    }

    /** Creates a key and returns the data of the answer (which holds {@code apiKey}). */
    JsonNode createKey(String name, String... scopes) {
        ResponseEntity<JsonNode> response = create(keyRequest(name, scopes));
        if (response.getStatusCode().value() != 201) {
            throw new IllegalStateException("creating a key failed: " + response);
        }
        return response.getBody().get("data");
    }

    ResponseEntity<JsonNode> createRaw(String json) {
        return http.post().uri("/api/v1/keys").contentType(MediaType.APPLICATION_JSON).body(json).retrieve()
                .toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> list(String query) {
        return http.get().uri("/api/v1/keys" + (query.isEmpty() ? "" : "?" + query)).retrieve()
                .toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> search(String text) {
        return http.get().uri(uri -> uri.path("/api/v1/keys").queryParam("search", "{text}").build(text))
                .retrieve().toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> get(String id) {
        return http.get().uri("/api/v1/keys/{id}", id).retrieve().toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> update(String id, Object body) {
        return http.put().uri("/api/v1/keys/{id}", id).contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> revoke(String id) {
        return http.delete().uri("/api/v1/keys/{id}", id).retrieve().toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> rotate(String id, Object body) {
        RestClient.RequestBodySpec request = http.post().uri("/api/v1/keys/{id}/rotate", id);
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        return request.retrieve().toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> verify(String apiKey) {
        return http.post().uri("/internal/v1/keys/verify").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("apiKey", apiKey)).retrieve().toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> postRaw(String path, String json) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(json).retrieve()
                .toEntity(JsonNode.class);
    }
}
