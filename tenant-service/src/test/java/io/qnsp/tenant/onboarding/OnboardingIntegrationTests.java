package io.qnsp.tenant.onboarding;

import io.qnsp.tenant.TenantIntegrationTests;
import io.qnsp.tenant.TenantApi;
import io.qnsp.tenant.TenantScopes;
import io.qnsp.test.token.TestTokens;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Onboarding workflows performing their steps over HTTP against a real server standing in for auth-service (tenant
 * admin API, token endpoint, API keys): the onboarded tenant gets a token, a failed step is shown and retried, a
 * workflow pauses after the step in progress, resumes, and cancels.
 */
class OnboardingIntegrationTests extends TenantIntegrationTests {

    static final StubAuthService AUTH = new StubAuthService();

    @DynamicPropertySource
    static void auth(DynamicPropertyRegistry registry) {
        registry.add("qnsp.tenant.onboarding.auth-url", AUTH::url);
        registry.add("qnsp.tenant.onboarding.api-keys-url", AUTH::url);
    }

    /** The operators' own tenant, where the workflows live. */
    final String operators = TenantApi.newTenant();
    TenantApi operator;

    @BeforeEach
    void setUp() {
        operator = TenantApi.withToken(port, TestTokens.forTenant(operators).subject("operator-" + operators)
                .plan("pro").roles("admin", "platform_admin").scopes(TenantScopes.READ, TenantScopes.WRITE).mint());
    }

    private static String newTenantId() {
        return "acme-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String create(TenantApi api, String tenantId, Map<String, Object> parameters) {
        JsonNode created = ok(api.createWorkflow(Map.of("templateId", "standard", "tenantId", tenantId,
                "parameters", parameters)), 201);
        return created.get("workflowId").asString();
    }

    private JsonNode await(TenantApi api, String workflowId, String what, Predicate<JsonNode> condition) {
        return Awaitility.await(workflowId + " " + what).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> ok(api.workflow(workflowId)), condition);
    }

    private static JsonNode step(JsonNode workflow, String name) {
        for (JsonNode step : workflow.get("steps")) {
            if (step.get("name").asString().equals(name)) {
                return step;
            }
        }
        throw new AssertionError(name + " not in " + workflow);
    }

    private static Predicate<JsonNode> status(String status) {
        return workflow -> workflow.get("status").asString().equals(status);
    }

    @Test
    void aWorkflowCreatesATenantThatCanGetAToken() throws Exception {
        String tenantId = newTenantId();
        JsonNode created = ok(operator.createWorkflow(Map.of("templateId", "standard", "tenantId", tenantId,
                "parameters", Map.of("tenantName", "Acme", "plan", "pro", "quotas", Map.of("kms.keys", 25)))), 201);
        assertThat(created.get("status").asString()).isEqualTo("pending");
        assertThat(created.get("steps").findValuesAsString("name"))
                .containsExactly("create_tenant", "confirm_limits", "create_admin_client", "issue_api_key");
        assertThat(created.get("steps").findValuesAsString("status")).containsOnly("pending");
        String workflowId = created.get("workflowId").asString();
        streams.awaitAudit(operators, "tenant.onboarding_workflow.created", workflowId);
        assertThat(AUTH.callsFor(tenantId)).as("nothing happens before start").isEmpty();

        JsonNode started = ok(operator.act(workflowId, "start"));
        assertThat(started.get("workflowId").asString()).isEqualTo(workflowId);
        assertThat(started.get("updatedAt").isString()).isTrue();
        JsonNode done = await(operator, workflowId, "completed", status("completed"));

        assertThat(done.get("steps").findValuesAsString("status")).containsOnly("completed");
        // auth-service was asked to create the tenant with its plan and limits, with the operator's token
        JsonNode tenant = AUTH.tenants.get(tenantId);
        assertThat(tenant.get("name").asString()).isEqualTo("Acme");
        assertThat(tenant.get("plan").asString()).isEqualTo("pro");
        assertThat(tenant.get("quotas").get("kms.keys").asLong()).isEqualTo(25);
        String clientId = step(done, "create_admin_client").get("output").get("clientId").asString();
        assertThat(AUTH.clients.get(clientId).tenantId()).isEqualTo(tenantId);
        JsonNode keyStep = step(done, "issue_api_key");
        assertThat(keyStep.get("output").get("tokenTenant").asString()).isEqualTo(tenantId);
        assertThat(AUTH.keyTenants.get(keyStep.get("output").get("apiKeyId").asString())).isEqualTo(tenantId);

        // the secrets are shown once, and never stored
        JsonNode secrets = done.get("secrets");
        String secret = secrets.get("adminClientSecret").asString();
        assertThat(secrets.get("adminClientId").asString()).isEqualTo(clientId);
        assertThat(secrets.get("apiKey").asString()).startsWith("dh_test_");
        assertThat(ok(operator.workflow(workflowId)).get("secrets")).isEmpty();
        String stored = jdbc.queryForObject("SELECT parameters::text || steps::text FROM onboarding_workflow "
                + "WHERE workflow_id = ?", String.class, workflowId);
        assertThat(stored).doesNotContain(secret).doesNotContain(secrets.get("apiKey").asString());

        // the onboarded tenant gets a token with the client's credentials, and the platform accepts it
        HttpResponse<String> tokenResponse = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(AUTH.url() + "/oauth2/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret)
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tokenResponse.statusCode()).isEqualTo(200);
        String token = tools.jackson.databind.json.JsonMapper.shared().readTree(tokenResponse.body())
                .get("access_token").asString();
        JsonNode health = ok(TenantApi.withToken(port, token).currentHealth());
        assertThat(health.get("status").asString()).isEqualTo("healthy");
        streams.awaitAudit(tenantId, "tenant.health.read", null);
        streams.awaitAudit(operators, "tenant.onboarding_workflow.action", workflowId);
    }

    @Test
    void aFailedStepShowsItsErrorAndIsRetriedByResume() {
        String tenantId = newTenantId();
        AUTH.keyFailures.set(1);
        String workflowId = create(operator, tenantId, Map.of());
        ok(operator.act(workflowId, "start"));

        JsonNode failed = await(operator, workflowId, "failed", status("failed"));
        JsonNode keyStep = step(failed, "issue_api_key");
        assertThat(keyStep.get("status").asString()).isEqualTo("failed");
        assertThat(keyStep.get("error").asString()).contains("503").contains("issue the API key");
        assertThat(failed.get("statusReason").asString()).isEqualTo(keyStep.get("error").asString());
        assertThat(step(failed, "create_admin_client").get("status").asString()).isEqualTo("completed");

        JsonNode resumed = ok(operator.act(workflowId, "resume"));
        assertThat(resumed.get("status").asString()).isEqualTo("running");
        JsonNode done = await(operator, workflowId, "completed", status("completed"));
        assertThat(step(done, "issue_api_key").get("attempts").asInt()).isEqualTo(2);
        assertThat(step(done, "issue_api_key").get("error").isNull()).isTrue();
        assertThat(step(done, "create_tenant").get("attempts").asInt()).isEqualTo(1);
        assertThat(AUTH.callsFor(tenantId).stream().filter(c -> c.path().equals("/auth/admin/tenants")))
                .as("the tenant is created once").hasSize(1);
    }

    @Test
    void pauseStopsAfterTheStepInProgressAndResumeGoesOn() {
        String tenantId = newTenantId();
        CountDownLatch gate = new CountDownLatch(1);
        AUTH.clientGate = gate;
        try {
            String workflowId = create(operator, tenantId, Map.of());
            ok(operator.act(workflowId, "start"));
            await(operator, workflowId, "registering its client",
                    w -> step(w, "create_admin_client").get("status").asString().equals("running"));

            JsonNode paused = ok(operator.act(workflowId, "pause"));
            assertThat(paused.get("status").asString()).isEqualTo("paused");
            gate.countDown();
            JsonNode stopped = await(operator, workflowId, "paused after the client step",
                    w -> step(w, "create_admin_client").get("status").asString().equals("completed"));
            assertThat(stopped.get("status").asString()).isEqualTo("paused");
            assertThat(step(stopped, "issue_api_key").get("status").asString()).isEqualTo("pending");
            assertThat(AUTH.callsFor(tenantId).stream().filter(c -> c.path().equals("/oauth2/token"))).isEmpty();
            assertStatus(operator.act(workflowId, "start"), 409);

            ok(operator.act(workflowId, "resume"));
            JsonNode done = await(operator, workflowId, "completed", status("completed"));
            assertThat(step(done, "issue_api_key").get("status").asString()).isEqualTo("completed");
        } finally {
            AUTH.clientGate = null;
            gate.countDown();
        }
    }

    @Test
    void cancelEndsTheWorkflowAndSkipsTheStepsNotDone() {
        String tenantId = newTenantId();
        CountDownLatch gate = new CountDownLatch(1);
        AUTH.clientGate = gate;
        try {
            String workflowId = create(operator, tenantId, Map.of());
            ok(operator.act(workflowId, "start"));
            await(operator, workflowId, "registering its client",
                    w -> step(w, "create_admin_client").get("status").asString().equals("running"));
            JsonNode cancelled = ok(operator.post("/tenant/v1/onboarding/workflows/" + workflowId + "/action",
                    Map.of("action", "cancel", "reason", "customer withdrew")));
            assertThat(cancelled.get("status").asString()).isEqualTo("cancelled");
            gate.countDown();

            JsonNode done = await(operator, workflowId, "the last step skipped",
                    w -> step(w, "issue_api_key").get("status").asString().equals("skipped"));
            assertThat(done.get("status").asString()).isEqualTo("cancelled");
            assertThat(done.get("statusReason").asString()).isEqualTo("customer withdrew");
            assertThat(AUTH.callsFor(tenantId).stream().filter(c -> c.path().equals("/api/v1/keys"))).isEmpty();
            assertStatus(operator.act(workflowId, "resume"), 409);
        } finally {
            AUTH.clientGate = null;
            gate.countDown();
        }
    }

    @Test
    void aRefusalOfAuthServiceIsTheFailedStepsError() {
        TenantApi notPlatformAdmin = TenantApi.withToken(port, TestTokens.forTenant(operators).subject("member")
                .plan("pro").scopes(TenantScopes.READ, TenantScopes.WRITE).mint());
        String workflowId = create(notPlatformAdmin, newTenantId(), Map.of());
        ok(notPlatformAdmin.act(workflowId, "start"));
        JsonNode failed = await(notPlatformAdmin, workflowId, "failed", status("failed"));
        assertThat(step(failed, "create_tenant").get("error").asString()).contains("403")
                .contains("platform_admin required");
        assertThat(step(failed, "confirm_limits").get("status").asString()).isEqualTo("pending");

        // an operator who may create tenants retries it
        ok(operator.act(workflowId, "resume"));
        await(operator, workflowId, "completed", status("completed"));
    }

    @Test
    void workflowsAreTheTenantsOwnAndBadInputIsRefusedNamingTheField() {
        String tenantId = newTenantId();
        String workflowId = create(operator, tenantId, Map.of());
        TenantApi stranger = TenantApi.onPlan(port, TenantApi.newTenant(), "pro");
        assertStatus(stranger.workflow(workflowId), 404);
        assertStatus(stranger.act(workflowId, "start"), 404);
        assertStatus(operator.createWorkflow(Map.of("templateId", "standard", "tenantId", tenantId)), 409);
        assertStatus(operator.act(workflowId, "pause"), 409);

        assertFieldRefused(operator.createWorkflow(Map.of("tenantId", "acme-x1")), "templateId");
        assertFieldRefused(operator.createWorkflow(Map.of("templateId", "gold", "tenantId", "acme-x1")),
                "templateId");
        assertFieldRefused(operator.createWorkflow(Map.of("templateId", "standard", "tenantId", "a b")), "tenantId");
        assertFieldRefused(operator.createWorkflow(Map.of("templateId", "standard", "tenantId", "acme-x1",
                "parameters", Map.of("quotas", Map.of("kms.keys", -1)))), "parameters.quotas.kms.keys");
        assertFieldRefused(operator.createWorkflow(Map.of("templateId", "standard", "tenantId", "acme-x1",
                "parameters", Map.of("colour", "red"))), "parameters.colour");
        assertFieldRefused(operator.createWorkflow(Map.of("templateId", "standard", "tenantId", "acme-x1",
                "parameters", Map.of("adminScopes", List.of("admin", "")))), "parameters.adminScopes[1]");
        assertFieldRefused(operator.act(workflowId, "jump"), "action");
        assertFieldRefused(operator.post("/tenant/v1/onboarding/workflows/" + workflowId + "/action", Map.of()),
                "action");
        assertStatus(TenantApi.anonymous(port).createWorkflow(Map.of()), 401);
        assertStatus(TenantApi.withScopes(port, operators, TenantScopes.READ).act(workflowId, "start"), 403);
    }

    @Test
    void creatingWorkflowsCountsAgainstTheQuotaTheControlEnforces() {
        // the default plan allows 3 workflows a month (application-test.yml)
        TenantApi member = TenantApi.tenant(port, TenantApi.newTenant());
        for (int i = 0; i < 3; i++) {
            create(member, newTenantId(), Map.of());
        }
        assertStatus(member.createWorkflow(Map.of("templateId", "standard", "tenantId", newTenantId())), 429);

        JsonNode quotas = ok(member.currentQuotas());
        JsonNode workflows = null;
        for (JsonNode quota : quotas.get("quotas")) {
            if (quota.get("quotaType").asString().equals("tenant.onboarding_workflows")) {
                workflows = quota;
            }
        }
        assertThat(workflows).isNotNull();
        assertThat(workflows.get("used").asLong()).isEqualTo(3);
        assertThat(workflows.get("limit").asLong()).isEqualTo(3);
        assertThat(workflows.get("remaining").asLong()).isZero();
    }
}
