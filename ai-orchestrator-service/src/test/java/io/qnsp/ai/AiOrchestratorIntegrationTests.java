package io.qnsp.ai;

import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service over real HTTP, on real PostgreSQL and Redis; every test class extending it shares one
 * application context, and each test works in tenants of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
public abstract class AiOrchestratorIntegrationTests {

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    protected static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A caller of the tenant with ai:read and ai:write. */
    protected ServiceApi owner(String tenant) {
        return ServiceApi.of(port, tenant, "owner", AiScopes.READ, AiScopes.WRITE);
    }

    protected ServiceApi withToken(TestTokens.Builder token) {
        return ServiceApi.withToken(port, token.mint());
    }

    /** Registers a model for the caller's tenant and returns its id. */
    protected static String registerModel(ServiceApi api, String name, String version, String type) {
        JsonNode created = expect(api.post("/ai/v1/registry/models", body("name", name, "version", version,
                "type", type, "provider", "acme", "artifacts", Map.of("modelPath", "s3://models/" + name,
                        "configPath", "s3://models/" + name + "/config.json"),
                "metadata", Map.of("description", "test model", "tags", List.of("test"), "license", "MIT"))), 201);
        assertThat(created.get("name").asString()).isEqualTo(name);
        assertThat(created.get("status").asString()).isEqualTo("registered");
        return created.get("modelId").asString();
    }

    /** Registers and activates a model. */
    protected static String activeModel(ServiceApi api, String name, String type) {
        String id = registerModel(api, name, "1.0", type);
        expect(api.post("/ai/v1/registry/models/" + id + "/activate"), 200);
        return id;
    }

    /** Outbox audit events of the tenant with the action, and the given outcome. */
    protected int auditEvents(String tenantId, String action, String outcome) {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM qnsp_event_outbox WHERE stream = 'audit' "
                + "AND payload->>'tenantId' = ? AND payload->>'action' = ? AND payload->>'outcome' = ?",
                Integer.class, tenantId, action, outcome);
        return count == null ? 0 : count;
    }
}
