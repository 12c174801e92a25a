package io.qnsp.vault.secret;

import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.token.TestTokens;
import io.qnsp.vault.VaultScopes;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls the versioned-secrets API of a running vault-service over real HTTP as one caller. */
final class SecretsApi extends ServiceApi {

    static final String BASE = "/v1/versioned-secrets";
    /** Every vault scope. */
    static final String[] ALL_SCOPES = {VaultScopes.READ, VaultScopes.WRITE, VaultScopes.USE};

    private SecretsApi(int port, String token) {
        super(client(port, token));
    }

    /** A caller of the tenant holding the scopes given (every vault scope when none are), as {@code subject}. */
    public static SecretsApi of(int port, String tenant, String subject, String... scopes) {
        return new SecretsApi(port, TestTokens.forTenant(tenant).subject(subject)
                .scopes(scopes.length == 0 ? ALL_SCOPES : scopes).mint());
    }

    /** A caller presenting the bearer token, or none when it is {@code null}. */
    public static SecretsApi withToken(int port, String token) {
        return new SecretsApi(port, token);
    }

    /** A caller without any token. */
    static SecretsApi anonymous(int port) {
        return new SecretsApi(port, null);
    }

    ResponseEntity<JsonNode> write(String secretId, String value) {
        return post(BASE, body("secretId", secretId, "value", value));
    }

    /** Writes the value and answers the new version's number; fails the test when the service refuses. */
    int created(String secretId, String value) {
        JsonNode answer = expect(write(secretId, value), 201);
        assertThat(answer.get("secretId").asString()).isEqualTo(secretId);
        return answer.get("version").asInt();
    }

    ResponseEntity<JsonNode> version(String secretId, int version) {
        return get(BASE + "/" + secretId + "/versions/" + version);
    }

    ResponseEntity<JsonNode> changeState(String secretId, int version, String state) {
        return patch(BASE + "/" + secretId + "/versions/" + version + "/state", body("state", state));
    }

    ResponseEntity<JsonNode> history(String secretId) {
        return get(BASE + "/" + secretId + "/history");
    }

    ResponseEntity<JsonNode> audit(String secretId) {
        return get(BASE + "/" + secretId + "/audit");
    }

    ResponseEntity<JsonNode> rollback(String secretId, int targetVersion) {
        return post(BASE + "/" + secretId + "/rollback", body("targetVersion", targetVersion));
    }

    ResponseEntity<JsonNode> compare(String secretId, int version1, int version2) {
        return post(BASE + "/" + secretId + "/compare", body("version1", version1, "version2", version2));
    }

    ResponseEntity<JsonNode> retention(String secretId, Map<String, Object> policy) {
        return put(BASE + "/" + secretId + "/retention-policy", policy);
    }

    ResponseEntity<JsonNode> enforce(String secretId) {
        return post(BASE + "/" + secretId + "/enforce-retention");
    }

    ResponseEntity<JsonNode> list(String query) {
        return get(BASE + query);
    }

    ResponseEntity<JsonNode> stats() {
        return get(BASE + "/stats");
    }

    /** A 400 naming the field in details.field and the message. */
    static void assertFieldRefused(ResponseEntity<JsonNode> response, String field) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(400);
        assertThat(response.getBody().get("error").asString()).isEqualTo("BAD_REQUEST");
        assertThat(response.getBody().get("details").get("field").asString()).as("%s", response.getBody())
                .isEqualTo(field);
        assertThat(response.getBody().get("message").asString()).contains(field);
    }

    /** The status, and the error code in the QNSP error body. */
    static void assertError(ResponseEntity<JsonNode> response, int status, String error) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        assertThat(response.getBody().get("statusCode").asInt()).isEqualTo(status);
        assertThat(response.getBody().get("error").asString()).isEqualTo(error);
    }
}
