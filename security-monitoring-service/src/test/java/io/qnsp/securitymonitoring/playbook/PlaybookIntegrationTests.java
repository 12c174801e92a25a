package io.qnsp.securitymonitoring.playbook;

import io.qnsp.common.events.AuditEvent;
import io.qnsp.securitymonitoring.SecurityMonitoringIntegrationTests;
import io.qnsp.securitymonitoring.SecurityScopes;
import io.qnsp.securitymonitoring.TestPlatform;
import io.qnsp.test.http.ServiceApi;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PlaybookIntegrationTests extends SecurityMonitoringIntegrationTests {

    static final String INVALID_USE = "auth.api_key.verification_failed";

    private String createPlaybook(ServiceApi api, Map<String, Object> request) {
        JsonNode created = expect(api.post("/security/v1/playbooks", request), 201);
        assertThat(created.get("name").asString()).isEqualTo(request.get("name"));
        assertThat(created.get("createdAt").asString()).isNotBlank();
        return created.get("playbookId").asString();
    }

    private Map<String, Object> revokeOnRepeatedInvalidUse(String name, String clientId, boolean dryRun) {
        return body("name", name, "description", "revoke a key used with failures",
                "triggerConditions", body("eventTypes", List.of(INVALID_USE), "severityThreshold", "medium",
                        "filters", body("resourceType", "api_key", "details", Map.of("errorCode", "INVALID_API_KEY"),
                                "minOccurrences", 3, "windowSeconds", 300)),
                "actions", List.of(body("type", "block", "parameters", Map.of(), "requiresApproval", false)),
                "enabled", true, "dryRun", dryRun,
                "responder", body("clientId", clientId, "clientSecret", "s3cret-" + clientId));
    }

    private AuditEvent invalidUse(String tenant, String keyId) {
        return publish(tenant, INVALID_USE, "api_key", keyId, "failure", Map.of("errorCode", "INVALID_API_KEY"));
    }

    private List<String> executionsOf(String playbookId) {
        return jdbc.queryForList("SELECT execution_id::text FROM playbook_execution WHERE playbook_id = ?::uuid "
                + "ORDER BY started_at", String.class, playbookId);
    }

    @Test
    void aKeyUsedRepeatedlyWithFailuresIsRevokedThroughAuthServiceWithTheResponderClientsToken() {
        String tenant = newTenant();
        String clientId = "responder-" + tenant;
        PLATFORM.registerClient(tenant, clientId, "s3cret-" + clientId, "write:keys");
        ServiceApi api = owner(tenant);
        String playbookId = createPlaybook(api, revokeOnRepeatedInvalidUse("revoke abused keys", clientId, false));
        String keyId = "key_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String revocation = "/api/v1/keys/" + keyId;

        awaitConsumed(invalidUse(tenant, keyId));
        awaitConsumed(invalidUse(tenant, keyId));
        // another key's failure and a success of this one do not count towards the threshold
        awaitConsumed(invalidUse(tenant, "key_other" + tenant));
        awaitConsumed(publish(tenant, INVALID_USE, "api_key", keyId, "failure", Map.of("errorCode", "RATE_LIMITED")));
        assertThat(PLATFORM.callsTo("DELETE", revocation)).isEmpty();
        assertThat(executionsOf(playbookId)).isEmpty();

        AuditEvent third = invalidUse(tenant, keyId);
        await().until(() -> PLATFORM.callsTo("DELETE", revocation).size() == 1);
        TestPlatform.Call call = PLATFORM.callsTo("DELETE", revocation).getFirst();
        assertThat(call.tenant()).isEqualTo(tenant);

        List<String> executions = executionsOf(playbookId);
        assertThat(executions).hasSize(1);
        JsonNode execution = awaitExecution(api, executions.getFirst(), "completed"::equals);
        assertThat(execution.get("incidentId").asString()).isEqualTo(third.eventId().toString());
        assertThat(execution.get("startedBy").asString()).isEqualTo("trigger:" + third.eventId());
        assertThat(execution.get("targetResources").get(0).asString()).isEqualTo(keyId);
        JsonNode step = execution.get("steps").get(0);
        assertThat(step.get("actionType").asString()).isEqualTo("block");
        assertThat(step.get("target").asString()).isEqualTo(keyId);
        assertThat(step.get("outcome").asString()).isEqualTo("succeeded");
        assertThat(step.get("detail").asString()).contains("revoked API key " + keyId);
        // the trigger's run is audited
        await().until(() -> jdbc.queryForObject("SELECT count(*) FROM qnsp_event_outbox WHERE payload::text LIKE ? "
                + "AND payload::text LIKE ?", Integer.class, "%security.playbook.triggered%",
                "%" + executions.getFirst() + "%") == 1);
        // the secret is stored sealed, never in clear
        assertThat(jdbc.queryForObject("SELECT count(*) FROM playbook WHERE playbook_id = ?::uuid "
                + "AND position(convert_to(?, 'UTF8') IN responder_secret_sealed) = 0", Integer.class, playbookId,
                "s3cret-" + clientId)).isEqualTo(1);
    }

    @Test
    void thePlaybooksOwnRespondersEventsDoNotTriggerItAgain() {
        String tenant = newTenant();
        String clientId = "responder-" + tenant;
        PLATFORM.registerClient(tenant, clientId, "s3cret-" + clientId, "write:keys");
        ServiceApi api = owner(tenant);
        // revoking on every revocation would loop on its own action's audit event
        String playbookId = createPlaybook(api, body("name", "loop", "triggerConditions",
                body("eventTypes", List.of("auth.api_key.revoked")), "actions", List.of(body("type", "block")),
                "responder", body("clientId", clientId, "clientSecret", "s3cret-" + clientId)));
        awaitConsumed(publishAs(clientId, tenant, "auth.api_key.revoked", "api_key", "key_own" + tenant, "success",
                Map.of()));
        assertThat(executionsOf(playbookId)).isEmpty();
        awaitConsumed(publishAs("someone", tenant, "auth.api_key.revoked", "api_key", "key_else" + tenant,
                "success", Map.of()));
        assertThat(executionsOf(playbookId)).hasSize(1);
        await().until(() -> PLATFORM.callsTo("DELETE", "/api/v1/keys/key_else" + tenant).size() == 1);
    }

    @Test
    void aDryRunPlaybookLogsWhatItWouldDoAndActsOnNothing() {
        String tenant = newTenant();
        String clientId = "responder-" + tenant;
        PLATFORM.registerClient(tenant, clientId, "s3cret-" + clientId, "write:keys");
        ServiceApi api = owner(tenant);
        String playbookId = createPlaybook(api, revokeOnRepeatedInvalidUse("dry", clientId, true));
        String keyId = "key_dry" + tenant;
        for (int i = 0; i < 3; i++) {
            awaitConsumed(invalidUse(tenant, keyId));
        }
        List<String> executions = executionsOf(playbookId);
        assertThat(executions).hasSize(1);
        JsonNode execution = awaitExecution(api, executions.getFirst(), "completed"::equals);
        assertThat(execution.get("dryRun").asBoolean()).isTrue();
        JsonNode step = execution.get("steps").get(0);
        assertThat(step.get("outcome").asString()).isEqualTo("dry_run");
        assertThat(step.get("detail").asString()).isEqualTo("would revoke API key " + keyId + " at auth-service");
        assertThat(PLATFORM.calls()).noneMatch(c -> c.path().contains(keyId) || tenant.equals(c.tenant()));
    }

    @Test
    void anExecutionActsWithTheCallersTokenOnEveryServiceAndPostsTheIncident() {
        String tenant = newTenant();
        ServiceApi api = owner(tenant);
        String hook = "incident-" + tenant;
        String playbookId = createPlaybook(api, body("name", "contain", "triggerConditions",
                body("eventTypes", List.of("vault.leak.incident_created")),
                "actions", List.of(
                        body("type", "isolate", "parameters", Map.of("keyId", "kms-" + tenant)),
                        body("type", "rotate", "parameters", Map.of("secretId", "sec-" + tenant, "version", 2)),
                        body("type", "block"),
                        body("type", "webhook", "parameters", Map.of("url", PLATFORM.hookUrl(hook),
                                "message", "contained")))));

        JsonNode started = expect(api.post("/security/v1/playbooks/execute", body("playbookId", playbookId,
                "context", body("incidentId", "inc-1", "targetResources", List.of("key_a" + tenant,
                        "key_b" + tenant)))), 202);
        assertThat(started.get("status").asString()).isEqualTo("running");
        JsonNode execution = awaitExecution(api, started.get("executionId").asString(), "completed"::equals);

        assertThat(execution.get("steps")).hasSize(5);
        assertThat(execution.get("steps").findValuesAsString("outcome")).containsOnly("succeeded");
        assertThat(PLATFORM.callsTo("POST", "/kms/v1/keys/kms-" + tenant + "/disable")).singleElement()
                .extracting(TestPlatform.Call::tenant).isEqualTo(tenant);
        TestPlatform.Call deprecation = PLATFORM.callsTo("PATCH", "/v1/versioned-secrets/sec-" + tenant
                + "/versions/2/state").getFirst();
        assertThat(deprecation.body()).contains("\"state\":\"deprecated\"");
        assertThat(PLATFORM.callsTo("DELETE", "/api/v1/keys/key_a" + tenant)).hasSize(1);
        assertThat(PLATFORM.callsTo("DELETE", "/api/v1/keys/key_b" + tenant)).hasSize(1);
        TestPlatform.Call posted = PLATFORM.callsTo("POST", "/hooks/" + hook).getFirst();
        assertThat(posted.body()).contains("\"incidentId\":\"inc-1\"", "\"message\":\"contained\"",
                started.get("executionId").asString());
    }

    @Test
    void aFailingStepIsLoggedAndTheExecutionEndsFailed() {
        String tenant = newTenant();
        // the caller lacks write:keys: auth-service refuses the revocation
        ServiceApi api = ServiceApi.of(port, tenant, "analyst", SecurityScopes.READ, SecurityScopes.WRITE);
        String playbookId = createPlaybook(api, body("name", "block only", "triggerConditions",
                body("eventTypes", List.of("auth.risk.evaluated")), "actions", List.of(body("type", "block"))));
        JsonNode started = expect(api.post("/security/v1/playbooks/execute", body("playbookId", playbookId,
                "context", body("targetResources", List.of("key_x" + tenant)))), 202);
        JsonNode execution = awaitExecution(api, started.get("executionId").asString(), "failed"::equals);
        JsonNode step = execution.get("steps").get(0);
        assertThat(step.get("outcome").asString()).isEqualTo("failed");
        assertThat(step.get("detail").asString()).contains("auth-service refused", "403");
        assertThat(execution.get("finishedAt").isNull()).isFalse();
    }

    @Test
    void anActionRequiringApprovalWaitsAndRunsWhenApproved() {
        String tenant = newTenant();
        ServiceApi api = owner(tenant);
        String playbookId = createPlaybook(api, body("name", "approve first", "triggerConditions",
                body("eventTypes", List.of("auth.risk.evaluated"), "severityThreshold", "high"),
                "actions", List.of(body("type", "block", "requiresApproval", true))));
        JsonNode started = expect(api.post("/security/v1/playbooks/execute", body("playbookId", playbookId,
                "context", body("targetResources", List.of("key_p" + tenant)))), 202);
        assertThat(started.get("status").asString()).isEqualTo("pending_approval");
        String executionId = started.get("executionId").asString();
        assertThat(expect(api.get("/security/v1/playbooks/executions/" + executionId), 200).get("steps")).isEmpty();
        assertThat(PLATFORM.callsTo("DELETE", "/api/v1/keys/key_p" + tenant)).isEmpty();

        JsonNode approved = expect(api.post("/security/v1/playbooks/executions/" + executionId + "/approve"), 202);
        assertThat(approved.get("status").asString()).isEqualTo("running");
        awaitExecution(api, executionId, "completed"::equals);
        assertThat(PLATFORM.callsTo("DELETE", "/api/v1/keys/key_p" + tenant)).hasSize(1);
        expect(api.post("/security/v1/playbooks/executions/" + executionId + "/approve"), 409);
    }

    @Test
    void aHighRiskScoreTriggersAPlaybookWithAThresholdAndALowOneDoesNot() {
        String tenant = newTenant();
        ServiceApi api = owner(tenant);
        String playbookId = createPlaybook(api, body("name", "risk", "triggerConditions",
                body("eventTypes", List.of("auth.risk.evaluated"), "severityThreshold", "high"),
                "actions", List.of(body("type", "notify", "parameters", Map.of("url",
                        PLATFORM.hookUrl("risk-" + tenant))))));
        awaitConsumed(publish(tenant, "auth.risk.evaluated", "risk", "u-1", "success", Map.of("riskScore", "35")));
        assertThat(executionsOf(playbookId)).isEmpty();
        awaitConsumed(publish(tenant, "auth.risk.evaluated", "risk", "u-2", "success", Map.of("riskScore", "85")));
        assertThat(executionsOf(playbookId)).hasSize(1);
        await().until(() -> PLATFORM.callsTo("POST", "/hooks/risk-" + tenant).size() == 1);
        assertThat(PLATFORM.callsTo("POST", "/hooks/risk-" + tenant).getFirst().body()).contains("u-2");
    }

    @Test
    void tenantsNeverSeeOrTriggerEachOthersPlaybooks() {
        String tenant = newTenant();
        String other = newTenant();
        ServiceApi api = owner(tenant);
        String playbookId = createPlaybook(api, body("name", "mine", "triggerConditions",
                body("eventTypes", List.of("vault.leak.incident_created")),
                "actions", List.of(body("type", "webhook", "parameters", Map.of("url",
                        PLATFORM.hookUrl("mine-" + tenant))))));
        // the same name in another tenant is no conflict; the same in this one is
        createPlaybook(owner(other), body("name", "mine", "triggerConditions",
                body("eventTypes", List.of("x.y")), "actions", List.of(body("type", "block"))));
        expect(api.post("/security/v1/playbooks", body("name", "mine", "triggerConditions",
                body("eventTypes", List.of("x.y")), "actions", List.of(body("type", "block")))), 409);

        awaitConsumed(publish(other, "vault.leak.incident_created", "leak_incident", "inc", "success", Map.of()));
        assertThat(executionsOf(playbookId)).isEmpty();
        expect(owner(other).post("/security/v1/playbooks/execute", body("playbookId", playbookId)), 404);

        JsonNode started = expect(api.post("/security/v1/playbooks/execute", body("playbookId", playbookId,
                "dryRun", true)), 202);
        String executionId = started.get("executionId").asString();
        expect(owner(other).get("/security/v1/playbooks/executions/" + executionId), 404);
        expect(owner(other).post("/security/v1/playbooks/executions/" + executionId + "/approve"), 404);
        expect(api.get("/security/v1/playbooks/executions/not-an-id"), 404);
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        ServiceApi api = owner(newTenant());
        assertField(api.post("/security/v1/playbooks", body("triggerConditions", body("eventTypes",
                List.of("a.b")), "actions", List.of(body("type", "block")))), "name");
        assertField(api.post("/security/v1/playbooks", body("name", "n", "actions",
                List.of(body("type", "block")))), "triggerConditions");
        assertField(api.post("/security/v1/playbooks", body("name", "n", "triggerConditions",
                body("eventTypes", List.of()), "actions", List.of(body("type", "block")))),
                "triggerConditions.eventTypes");
        assertField(api.post("/security/v1/playbooks", body("name", "n", "triggerConditions",
                body("eventTypes", List.of("a.b"), "severityThreshold", "extreme"),
                "actions", List.of(body("type", "block")))), "triggerConditions.severityThreshold");
        assertField(api.post("/security/v1/playbooks", body("name", "n", "triggerConditions",
                body("eventTypes", List.of("a.b"), "filters", Map.of("subject", "tenant")),
                "actions", List.of(body("type", "block")))), "triggerConditions.filters.subject");
        assertField(api.post("/security/v1/playbooks", body("name", "n", "triggerConditions",
                body("eventTypes", List.of("a.b"), "filters", Map.of("minOccurrences", 0)),
                "actions", List.of(body("type", "block")))), "triggerConditions.filters.minOccurrences");
        assertField(api.post("/security/v1/playbooks", body("name", "n", "triggerConditions",
                body("eventTypes", List.of("a.b"), "filters", Map.of("windowSeconds", -5)),
                "actions", List.of(body("type", "block")))), "triggerConditions.filters.windowSeconds");
        assertField(api.post("/security/v1/playbooks", body("name", "n", "triggerConditions",
                body("eventTypes", List.of("a.b")), "actions", List.of())), "actions");
        assertField(api.post("/security/v1/playbooks", body("name", "n", "triggerConditions",
                body("eventTypes", List.of("a.b")), "actions", List.of(body("type", "explode")))),
                "actions[0].type");
        assertField(api.post("/security/v1/playbooks", body("name", "n", "triggerConditions",
                body("eventTypes", List.of("a.b")), "actions", List.of(body("type", "block"),
                        body("type", "webhook", "parameters", Map.of("url", "ftp://x"))))),
                "actions[1].parameters.url");
        assertField(api.post("/security/v1/playbooks", body("name", "n", "triggerConditions",
                body("eventTypes", List.of("a.b")), "actions", List.of(body("type", "rotate")))),
                "actions[0].parameters.version");
        assertField(api.post("/security/v1/playbooks", body("name", "n", "triggerConditions",
                body("eventTypes", List.of("a.b")), "actions", List.of(body("type", "block")),
                "responder", body("clientId", "c"))), "responder.clientSecret");
        assertField(api.post("/security/v1/playbooks/execute", body("context", body())), "playbookId");
        expect(api.postJson("/security/v1/playbooks", "{\"name\": 5"), 400);
        expect(api.post("/security/v1/playbooks/execute", body("playbookId", UUID.randomUUID().toString())), 404);
    }

    @Test
    void callersNeedATokenAndTheScopes() {
        String tenant = newTenant();
        Map<String, Object> request = body("name", "n", "triggerConditions", body("eventTypes", List.of("a.b")),
                "actions", List.of(body("type", "block")));
        expect(ServiceApi.withToken(port, null).post("/security/v1/playbooks", request), 401);
        expect(ServiceApi.of(port, tenant, "reader", SecurityScopes.READ).post("/security/v1/playbooks", request),
                403);
        expect(ServiceApi.of(port, tenant, "reader", SecurityScopes.READ).post("/security/v1/playbooks/execute",
                body("playbookId", UUID.randomUUID().toString())), 403);
    }
}
