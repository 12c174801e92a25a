package io.qnsp.ai.registry;

import io.qnsp.ai.AiOrchestratorIntegrationTests;
import io.qnsp.ai.AiScopes;
import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** The model lifecycle (registered, active, deprecated), deployments of active models, and tenant isolation. */
class RegistryIntegrationTests extends AiOrchestratorIntegrationTests {

    @Test
    void aModelIsRegisteredActivatedDeployedAndDeprecatedAndThenCannotBeDeployed() {
        String tenant = newTenant();
        ServiceApi api = owner(tenant);
        String model = registerModel(api, "support-bot", "2.1", "llm");
        assertThat(jdbc.queryForObject("SELECT status FROM ai_orchestrator.model WHERE model_id = ?::uuid",
                String.class, model)).isEqualTo("registered");

        // a registered model is not deployable yet
        JsonNode notActive = expect(api.post("/ai/v1/registry/deployments", body("modelId", model)), 409);
        assertThat(notActive.get("details").get("field").asString()).isEqualTo("modelId");
        assertThat(notActive.get("details").get("status").asString()).isEqualTo("registered");

        JsonNode activated = expect(api.post("/ai/v1/registry/models/" + model + "/activate"), 200);
        assertThat(activated.get("modelId").asString()).isEqualTo(model);
        assertThat(activated.get("status").asString()).isEqualTo("active");
        String activatedAt = activated.get("activatedAt").asString();
        // activating again keeps the first activation
        assertThat(expect(api.post("/ai/v1/registry/models/" + model + "/activate"), 200)
                .get("activatedAt").asString()).isEqualTo(activatedAt);

        JsonNode deployed = expect(api.post("/ai/v1/registry/deployments", body("modelId", model, "versionId", "2.1",
                "config", Map.of("replicas", 2, "resources", Map.of("cpu", "500m", "memory", "2Gi"),
                        "autoscaling", Map.of("enabled", true, "minReplicas", 1, "maxReplicas", 4)))), 201);
        assertThat(deployed.get("modelId").asString()).isEqualTo(model);
        assertThat(deployed.get("status").asString()).isEqualTo("deploying");
        String deployment = deployed.get("deploymentId").asString();
        assertThat(jdbc.queryForObject("SELECT config->>'replicas' FROM ai_orchestrator.deployment "
                + "WHERE deployment_id = ?::uuid", String.class, deployment)).isEqualTo("2");
        assertThat(jdbc.queryForObject("SELECT config->'autoscaling'->>'maxReplicas' FROM ai_orchestrator.deployment "
                + "WHERE deployment_id = ?::uuid", String.class, deployment)).isEqualTo("4");

        String successor = activeModel(api, "support-bot-v3", "llm");
        JsonNode deprecated = expect(api.post("/ai/v1/registry/models/" + model + "/deprecate",
                body("reason", "superseded", "replacementModelId", successor)), 200);
        assertThat(deprecated.get("status").asString()).isEqualTo("deprecated");
        assertThat(deprecated.get("deprecatedAt").asString()).isNotBlank();
        assertThat(jdbc.queryForObject("SELECT replacement_model_id::text FROM ai_orchestrator.model "
                + "WHERE model_id = ?::uuid", String.class, model)).isEqualTo(successor);

        // a deprecated model can be neither deployed, activated nor deprecated again
        JsonNode refused = expect(api.post("/ai/v1/registry/deployments", body("modelId", model)), 409);
        assertThat(refused.get("statusCode").asInt()).isEqualTo(409);
        assertThat(refused.get("details").get("field").asString()).isEqualTo("modelId");
        assertThat(refused.get("details").get("status").asString()).isEqualTo("deprecated");
        expect(api.post("/ai/v1/registry/models/" + model + "/activate"), 409);
        expect(api.post("/ai/v1/registry/models/" + model + "/deprecate", body("reason", "again")), 409);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ai_orchestrator.deployment WHERE model_id = ?::uuid",
                Long.class, model)).isEqualTo(1);

        assertThat(auditEvents(tenant, "ai.model.registered", "success")).isEqualTo(2);
        assertThat(auditEvents(tenant, "ai.model.deployed", "success")).isEqualTo(1);
        assertThat(auditEvents(tenant, "ai.model.deprecated", "success")).isEqualTo(1);
        assertThat(auditEvents(tenant, "ai.model.deployed", "failure")).isEqualTo(2);
    }

    @Test
    void deploymentsAreMeteredAndCountedAgainstTheTenantsQuota() {
        String tenant = newTenant();
        ServiceApi api = withToken(TestTokens.forTenant(tenant).plan("two-deployments")
                .scopes(AiScopes.READ, AiScopes.WRITE));
        String model = activeModel(api, "quota-model", "llm");
        expect(api.post("/ai/v1/registry/deployments", body("modelId", model)), 201);
        expect(api.post("/ai/v1/registry/deployments", body("modelId", model)), 201);
        JsonNode exhausted = expect(api.post("/ai/v1/registry/deployments", body("modelId", model)), 429);
        assertThat(exhausted.get("details").get("resource").asString()).isEqualTo("ai.deployments");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ai_orchestrator.deployment WHERE tenant_id = ?",
                Long.class, tenant)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM qnsp_event_outbox WHERE stream = 'usage' "
                + "AND payload->>'tenantId' = ? AND payload->>'operation' = 'ai.model_deploy'", Long.class, tenant))
                .isEqualTo(2);
    }

    @Test
    void anotherTenantCannotSeeOrActOnTheModels() {
        ServiceApi alpha = owner(newTenant());
        String model = activeModel(alpha, "alpha-model", "classification");
        ServiceApi beta = owner(newTenant());
        expect(beta.post("/ai/v1/registry/models/" + model + "/activate"), 404);
        expect(beta.post("/ai/v1/registry/models/" + model + "/deprecate", body("reason", "mine now")), 404);
        assertFieldRefused(beta.post("/ai/v1/registry/deployments", body("modelId", model)), "modelId");
        String betaModel = activeModel(beta, "beta-model", "llm");
        assertFieldRefused(alpha.post("/ai/v1/registry/models/" + model + "/deprecate",
                body("reason", "x", "replacementModelId", betaModel)), "replacementModelId");
        assertThat(jdbc.queryForObject("SELECT status FROM ai_orchestrator.model WHERE model_id = ?::uuid",
                String.class, model)).isEqualTo("active");
        // the same name and version is the other tenant's to use
        registerModel(beta, "alpha-model", "1.0", "classification");
    }

    @Test
    void badRequestsAreRefusedNamingTheField() {
        ServiceApi api = owner(newTenant());
        assertFieldRefused(api.post("/ai/v1/registry/models", body("version", "1", "type", "llm", "provider", "p")), "name");
        assertFieldRefused(api.post("/ai/v1/registry/models", body("name", "m", "version", "1", "type", "robot",
                "provider", "p")), "type");
        assertFieldRefused(api.post("/ai/v1/registry/models", body("name", "m", "type", "llm", "provider", "p")), "version");
        assertFieldRefused(api.post("/ai/v1/registry/models", body("name", "m", "version", "1", "type", "llm")), "provider");
        assertFieldRefused(api.post("/ai/v1/registry/models", body("name", "m", "version", "1", "type", "llm",
                "provider", "p", "metadata", Map.of("tags", java.util.List.of(" ")))), "metadata.tags");
        String model = registerModel(api, "m", "1", "llm");
        JsonNode taken = expect(api.post("/ai/v1/registry/models", body("name", "m", "version", "1", "type", "llm",
                "provider", "p")), 409);
        assertThat(taken.get("details").get("field").asString()).isEqualTo("version");

        expect(api.post("/ai/v1/registry/models/" + model + "/activate"), 200);
        assertFieldRefused(api.post("/ai/v1/registry/deployments", body()), "modelId");
        assertFieldRefused(api.post("/ai/v1/registry/deployments", body("modelId", model, "versionId", "9")), "versionId");
        assertFieldRefused(api.post("/ai/v1/registry/deployments", body("modelId", model,
                "config", Map.of("replicas", 0))), "config.replicas");
        assertFieldRefused(api.post("/ai/v1/registry/deployments", body("modelId", model,
                "config", Map.of("resources", Map.of("memory", "lots")))), "config.resources.memory");
        assertFieldRefused(api.post("/ai/v1/registry/deployments", body("modelId", model, "config",
                Map.of("replicas", 2, "autoscaling", Map.of("enabled", true, "minReplicas", 3, "maxReplicas", 2)))),
                "config.autoscaling.maxReplicas");
        assertFieldRefused(api.post("/ai/v1/registry/deployments", body("modelId", UUID.randomUUID().toString())),
                "modelId");
        assertFieldRefused(api.post("/ai/v1/registry/models/" + model + "/deprecate", body()), "reason");
        assertFieldRefused(api.post("/ai/v1/registry/models/" + model + "/deprecate",
                body("reason", "x", "replacementModelId", model)), "replacementModelId");
        expect(api.post("/ai/v1/registry/models/" + UUID.randomUUID() + "/activate"), 404);
        expect(api.post("/ai/v1/registry/models/not-an-id/activate"), 404);

        ServiceApi readOnly = withToken(TestTokens.forTenant(newTenant()).scopes(AiScopes.READ));
        expect(readOnly.post("/ai/v1/registry/models", body("name", "m", "version", "1", "type", "llm",
                "provider", "p")), 403);
        ServiceApi anonymous = ServiceApi.withToken(port, "not-a-token");
        expect(anonymous.post("/ai/v1/registry/models/" + model + "/activate"), 401);
    }
}
