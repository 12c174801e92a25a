package io.qnsp.vault.dynamic;

import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.token.TestTokens;
import io.qnsp.vault.VaultScopes;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The dynamic secrets API as one caller uses it in tests, and the requests the tests make often. */
final class DynamicApi extends ServiceApi {

    static final String[] ALL_SCOPES = {VaultScopes.READ, VaultScopes.WRITE, VaultScopes.USE};
    static final String CONFIGS = "/v1/dynamic-secrets/configs";
    static final String SELECT_ALL = "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {{username}}";

    private DynamicApi(int port, String token) {
        super(client(port, token));
    }

    static DynamicApi forTenant(int port, String tenant, String... scopes) {
        return new DynamicApi(port, TestTokens.forTenant(tenant).subject("tester").scopes(scopes).mint());
    }

    static DynamicApi bearing(int port, String token) {
        return new DynamicApi(port, token);
    }

    static DynamicApi anonymous(int port) {
        return new DynamicApi(port, null);
    }

    /** A PostgreSQL config body with the administrative role given. */
    static Map<String, Object> postgresConfig(String name, TestBackends.PostgresServer server, TestBackends.Admin admin,
                                              String roleTemplate, String defaultTtl, String maxTtl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("type", "database");
        body.put("backend", new LinkedHashMap<>(Map.of("type", "postgres", "connectionString",
                "jdbc:postgresql://" + server.host() + ":" + server.port() + "/" + server.database(),
                "credentials", Map.of("username", admin.user(), "password", admin.password()))));
        body.put("template", new LinkedHashMap<>(Map.of("usernameTemplate",
                TestBackends.PREFIX + "{{name}}_{{random}}", "roleTemplate", roleTemplate)));
        body.put("ttl", Map.of("default", defaultTtl, "max", maxTtl));
        return body;
    }

    String createConfig(Map<String, Object> body) {
        return expect(post(CONFIGS, body), 201).get("configId").asString();
    }

    ResponseEntity<JsonNode> credentials(String configId, String ttl) {
        return post(CONFIGS + "/" + configId + "/credentials", ttl == null ? Map.of()
                : Map.of("ttl", ttl, "metadata", Map.of("purpose", "test", "requestedBy", "ci")));
    }

    JsonNode issue(String configId, String ttl) {
        return expect(credentials(configId, ttl), 200);
    }

    ResponseEntity<JsonNode> renew(String leaseId, String ttl) {
        return post("/v1/dynamic-secrets/leases/" + leaseId + "/renew", ttl == null ? Map.of() : Map.of("ttl", ttl));
    }

    ResponseEntity<JsonNode> revoke(String leaseId) {
        return post("/v1/dynamic-secrets/leases/" + leaseId + "/revoke");
    }

    JsonNode leases(String configId) {
        return expect(get(CONFIGS + "/" + configId + "/leases"), 200).get("leases");
    }

    JsonNode lease(String configId, String leaseId) {
        for (JsonNode lease : leases(configId)) {
            if (lease.get("leaseId").asString().equals(leaseId)) {
                return lease;
            }
        }
        throw new AssertionError("no lease " + leaseId + " listed");
    }

    JsonNode stats() {
        return expect(get("/v1/dynamic-secrets/stats"), 200);
    }

    /** A 400 naming the field, in the body and in the message. */
    static void assertFieldRefused(ResponseEntity<JsonNode> response, String field) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(400);
        assertThat(response.getBody().get("details").get("field").asString()).as("%s", response.getBody())
                .isEqualTo(field);
        assertThat(response.getBody().get("message").asString()).contains(field);
    }

    static void assertStatus(ResponseEntity<JsonNode> response, int status) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(status);
        if (response.getBody() != null && response.getBody().has("statusCode")) {
            assertThat(response.getBody().get("statusCode").asInt()).isEqualTo(status);
        }
    }
}
