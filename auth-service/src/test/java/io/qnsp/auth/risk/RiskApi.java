package io.qnsp.auth.risk;

import io.qnsp.test.token.TestTokens;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import java.util.UUID;

/** Drives the risk API of a running auth-service over real HTTP as one caller; never throws on an error status. */
final class RiskApi {

    private final RestClient http;

    private RiskApi(RestClient http) {
        this.http = http;
    }

    /** A caller of the tenant holding the scopes. */
    static RiskApi of(int port, String tenant, String... scopes) {
        return withToken(port, TestTokens.forTenant(tenant).subject("risk-engine").scopes(scopes).mint());
    }

    /** A caller presenting the token, or none when it is {@code null}. */
    static RiskApi withToken(int port, String token) {
        RestClient.Builder builder = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> {
                });
        if (token != null) {
            builder.defaultHeader("Authorization", "Bearer " + token);
        }
        return new RiskApi(builder.build());
    }

    /** A tenant id no other test uses. */
    static String freshTenant() {
        return "tenant-" + UUID.randomUUID().toString().substring(0, 8);
    }

    ResponseEntity<JsonNode> evaluate(Object body) {
        return post("/auth/risk/evaluate", body);
    }

    /** Evaluates and insists on a 200, returning the body. */
    JsonNode evaluated(Object body) {
        ResponseEntity<JsonNode> response = evaluate(body);
        if (response.getStatusCode().value() != 200) {
            throw new AssertionError("evaluation failed: " + response.getStatusCode() + " " + response.getBody());
        }
        return response.getBody();
    }

    ResponseEntity<JsonNode> createPolicy(Object body) {
        return post("/auth/risk/policies", body);
    }

    /** Creates a policy and insists on a 201, returning its id. */
    String createdPolicy(Object body) {
        ResponseEntity<JsonNode> response = createPolicy(body);
        if (response.getStatusCode().value() != 201) {
            throw new AssertionError("policy creation failed: " + response.getStatusCode() + " " + response.getBody());
        }
        return response.getBody().get("policyId").asString();
    }

    ResponseEntity<JsonNode> reportSignal(Object body) {
        return post("/auth/risk/signals", body);
    }

    ResponseEntity<JsonNode> post(String path, Object body, Object... variables) {
        return http.post().uri(path, variables).contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> postJson(String path, String json) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(json).retrieve()
                .toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> put(String path, Object body, Object... variables) {
        return http.put().uri(path, variables).contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> get(String path, Object... variables) {
        return http.get().uri(path, variables).retrieve().toEntity(JsonNode.class);
    }

    ResponseEntity<JsonNode> delete(String path, Object... variables) {
        return http.delete().uri(path, variables).retrieve().toEntity(JsonNode.class);
    }
}
