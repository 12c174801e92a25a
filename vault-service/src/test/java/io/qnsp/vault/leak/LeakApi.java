package io.qnsp.vault.leak;

import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.token.TestTokens;
import io.qnsp.vault.VaultScopes;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Calls the leak detection API of a running vault-service as one caller; never throws on an error status. */
public final class LeakApi extends ServiceApi {

    public static final String BASE = "/v1/leakage-detection";
    public static final String[] ALL_SCOPES = {VaultScopes.READ, VaultScopes.WRITE, VaultScopes.USE};

    private LeakApi(int port, String token) {
        super(client(port, token));
    }

    public static LeakApi of(int port, String tenant, String subject, String... scopes) {
        return new LeakApi(port, TestTokens.forTenant(tenant).subject(subject).scopes(scopes).mint());
    }

    public static LeakApi withToken(int port, String token) {
        return new LeakApi(port, token);
    }

    /** Creates a policy and answers its id; fails the test when refused. */
    public String createPolicy(Map<String, Object> policy) {
        return expect(post(BASE + "/policies", policy), 201).get("policyId").asString();
    }

    /** Submits a scan and answers its id; fails the test unless it is queued. */
    public String scan(Map<String, Object> request) {
        JsonNode queued = expect(post(BASE + "/scan", request), 202);
        assertThat(queued.get("status").asString()).isEqualTo("queued");
        return queued.get("scanId").asString();
    }

    /** Waits for the scan to end and answers its final status. */
    public JsonNode awaitScan(String scanId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            String status = expect(get(BASE + "/scans/" + scanId), 200).get("status").asString();
            return status.equals("completed") || status.equals("failed");
        });
        return expect(get(BASE + "/scans/" + scanId), 200);
    }

    /** The incidents listed with the query given (e.g. {@code ?status=open}). */
    public List<JsonNode> incidents(String query) {
        List<JsonNode> incidents = new ArrayList<>();
        expect(get(BASE + "/incidents" + query), 200).get("incidents").forEach(incidents::add);
        return incidents;
    }

    public JsonNode incident(String incidentId) {
        return expect(get(BASE + "/incidents/" + incidentId), 200);
    }

    /** Writes the value as the secret's next version through the versioned secrets API; the version's number. */
    public int storeSecret(String secretId, String value) {
        return expect(post("/v1/versioned-secrets", body("secretId", secretId, "value", value)), 201).get("version")
                .asInt();
    }

    /** The secret's versions from its history, oldest first (version, state, createdBy, metadata). */
    public List<JsonNode> versions(String secretId) {
        List<JsonNode> versions = new ArrayList<>();
        expect(get("/v1/versioned-secrets/" + secretId + "/history"), 200).get("versions").forEach(versions::add);
        return versions.reversed();
    }

    /** The states of the secret's versions, oldest first. */
    public List<String> states(String secretId) {
        return versions(secretId).stream().map(v -> v.get("state").asString()).toList();
    }

    /** A 400 naming the field, in the body and in the message. */
    public static void assertFieldRefused(ResponseEntity<JsonNode> response, String field) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(400);
        assertThat(response.getBody().get("details").get("field").asString()).as("%s", response.getBody())
                .isEqualTo(field);
        assertThat(response.getBody().get("message").asString()).contains(field);
    }

    public static void assertStatus(ResponseEntity<JsonNode> response, int status) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
    }
}
