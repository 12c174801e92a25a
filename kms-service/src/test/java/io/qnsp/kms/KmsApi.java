package io.qnsp.kms;

import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.token.TestTokens;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** Calls a running kms-service over real HTTP as one caller; never throws on an error status. */
public final class KmsApi extends ServiceApi {

    /** Every KMS scope. */
    public static final String[] ALL_SCOPES = {KmsScopes.READ, KmsScopes.WRITE, KmsScopes.USE};

    private KmsApi(int port, String token) {
        super(client(port, token));
    }

    /** A caller presenting the bearer token, or none when it is {@code null}. */
    public static KmsApi withToken(int port, String token) {
        return new KmsApi(port, token);
    }

    /** A caller of the tenant holding the scopes given, as {@code subject}. */
    public static KmsApi of(int port, String tenant, String subject, String... scopes) {
        return withToken(port, TestTokens.forTenant(tenant).subject(subject).scopes(scopes).mint());
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
