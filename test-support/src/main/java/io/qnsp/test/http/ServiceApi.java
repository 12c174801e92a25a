package io.qnsp.test.http;

import io.qnsp.test.token.TestTokens;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import java.util.Map;

/**
 * Calls a running service over real HTTP as one caller and never throws on an error status, so a test asserts on
 * the status and body itself. A service's tests extend it with the calls they make often.
 */
public class ServiceApi {

    private final RestClient http;

    protected ServiceApi(RestClient http) {
        this.http = http;
    }

    /** A client of the service on {@code port} presenting the bearer token, or none when it is {@code null}. */
    protected static RestClient client(int port, String token) {
        RestClient.Builder builder = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> {
                });
        if (token != null) {
            builder.defaultHeader("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    /** A caller presenting the bearer token, or none when it is {@code null}. */
    public static ServiceApi withToken(int port, String token) {
        return new ServiceApi(client(port, token));
    }

    /** A caller of the tenant holding the scopes given, as {@code subject}. */
    public static ServiceApi of(int port, String tenant, String subject, String... scopes) {
        return withToken(port, TestTokens.forTenant(tenant).subject(subject).scopes(scopes).mint());
    }

    public ResponseEntity<JsonNode> get(String path) {
        return http.get().uri(path).retrieve().toEntity(JsonNode.class);
    }

    /**
     * Gets a URI template with its variables expanded and encoded once, so a query value such as
     * {@code "a b & c"} arrives as typed: {@code get("/items?q={q}", "a b & c")}.
     */
    public ResponseEntity<JsonNode> get(String uriTemplate, Object... uriVariables) {
        return http.get().uri(uriTemplate, uriVariables).retrieve().toEntity(JsonNode.class);
    }

    public ResponseEntity<JsonNode> post(String path, Object body) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(JsonNode.class);
    }

    /** Posts without a body. */
    public ResponseEntity<JsonNode> post(String path) {
        return http.post().uri(path).retrieve().toEntity(JsonNode.class);
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

    public ResponseEntity<JsonNode> patch(String path, Object body) {
        return http.patch().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(JsonNode.class);
    }

    /** Patches with the text as it is, for malformed or hand-written JSON. */
    public ResponseEntity<JsonNode> patchJson(String path, String json) {
        return http.patch().uri(path).contentType(MediaType.APPLICATION_JSON).body(json).retrieve()
                .toEntity(JsonNode.class);
    }

    public ResponseEntity<JsonNode> delete(String path) {
        return http.delete().uri(path).retrieve().toEntity(JsonNode.class);
    }

    /** The body of an answer with the status given; fails the test showing the body otherwise. */
    public static JsonNode expect(ResponseEntity<JsonNode> response, int status) {
        if (response.getStatusCode().value() != status) {
            throw new AssertionError("expected " + status + " but got " + response.getStatusCode() + ": "
                    + response.getBody());
        }
        return response.getBody();
    }

    /** Shorthand for a JSON object body. */
    public static Map<String, Object> body(Object... namesAndValues) {
        java.util.LinkedHashMap<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }
}
