package io.qnsp.kms;

import io.qnsp.test.token.TestTokens;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** Calls a running kms-service over real HTTP as one caller; never throws on an error status. */
public final class KmsApi {

    /** Every KMS scope. */
    public static final String[] ALL_SCOPES = {KmsScopes.READ, KmsScopes.WRITE, KmsScopes.USE};

    private final RestClient http;

    private KmsApi(RestClient http) {
        this.http = http;
    }

    /** A caller presenting the bearer token, or none when it is {@code null}. */
    public static KmsApi withToken(int port, String token) {
        RestClient.Builder builder = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> {
                });
        if (token != null) {
            builder.defaultHeader("Authorization", "Bearer " + token);
        }
        return new KmsApi(builder.build());
    }

    /** A caller of the tenant holding the scopes given, as {@code subject}. */
    public static KmsApi of(int port, String tenant, String subject, String... scopes) {
        return withToken(port, TestTokens.forTenant(tenant).subject(subject).scopes(scopes).mint());
    }

    public ResponseEntity<JsonNode> get(String path) {
        return http.get().uri(path).retrieve().toEntity(JsonNode.class);
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

    public ResponseEntity<JsonNode> patch(String path, Object body) {
        return http.patch().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(JsonNode.class);
    }

    public ResponseEntity<JsonNode> delete(String path) {
        return http.delete().uri(path).retrieve().toEntity(JsonNode.class);
    }

    /** Creates a key and answers its id; fails the test when the service refuses. */
    public String createKey(String name, String algorithm) {
        ResponseEntity<JsonNode> created = post("/kms/v1/keys", java.util.Map.of("name", name, "algorithm", algorithm));
        if (created.getStatusCode().value() != 201) {
            throw new AssertionError("key creation answered " + created.getStatusCode() + ": " + created.getBody());
        }
        return created.getBody().get("keyId").asString();
    }
}
