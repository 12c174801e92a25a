package io.qnsp.audit;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** Calls a running audit-service over real HTTP as one caller; never throws on an error status. */
public final class AuditApi {

    private final RestClient http;

    private AuditApi(RestClient http) {
        this.http = http;
    }

    /** A caller presenting the bearer token, or none when it is {@code null}. */
    public static AuditApi withToken(int port, String token) {
        return new AuditApi(client(port, token).build());
    }

    /**
     * A client builder for the service on {@code port} that keeps answers of every status (tests assert on them)
     * and presents the bearer token, or none when it is {@code null}.
     */
    public static RestClient.Builder client(int port, String token) {
        RestClient.Builder builder = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> {
                });
        if (token != null) {
            builder.defaultHeader("Authorization", "Bearer " + token);
        }
        return builder;
    }

    public ResponseEntity<JsonNode> get(String path) {
        return http.get().uri(path).retrieve().toEntity(JsonNode.class);
    }

    public ResponseEntity<JsonNode> post(String path, Object body) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(JsonNode.class);
    }

    /** Posts the text as it is, for malformed or hand-written JSON. */
    public ResponseEntity<JsonNode> postJson(String path, String json) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(json).retrieve()
                .toEntity(JsonNode.class);
    }

    public ResponseEntity<JsonNode> put(String path, Object body) {
        return http.put().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(JsonNode.class);
    }

    public ResponseEntity<JsonNode> patchJson(String path, String json) {
        return http.patch().uri(path).contentType(MediaType.APPLICATION_JSON).body(json).retrieve()
                .toEntity(JsonNode.class);
    }

    public ResponseEntity<JsonNode> delete(String path) {
        return http.delete().uri(path).retrieve().toEntity(JsonNode.class);
    }
}
