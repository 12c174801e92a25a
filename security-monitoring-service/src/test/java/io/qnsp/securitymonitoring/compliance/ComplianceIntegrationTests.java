package io.qnsp.securitymonitoring.compliance;

import io.qnsp.securitymonitoring.SecurityMonitoringIntegrationTests;
import io.qnsp.securitymonitoring.SecurityScopes;
import io.qnsp.securitymonitoring.TestPlatform;
import io.qnsp.test.http.ServiceApi;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

class ComplianceIntegrationTests extends SecurityMonitoringIntegrationTests {

    private static final Instant NOW = Instant.now();

    private static Instant daysAgo(int days) {
        return NOW.minus(Duration.ofDays(days));
    }

    private String control(ServiceApi api, String framework, String controlId, List<String> checks) {
        JsonNode created = expect(api.post("/security/v1/compliance/controls", body("controlId", controlId,
                "framework", framework, "name", controlId + " control", "description", "d",
                "requirements", List.of("keys are rotated"), "automatedChecks", checks)), 201);
        assertThat(created.get("controlId").asString()).isEqualTo(controlId);
        assertThat(created.get("createdAt").asString()).isNotBlank();
        return created.get("controlUuid").asString();
    }

    private static JsonNode controlResult(JsonNode assessment, String controlUuid) {
        for (JsonNode c : assessment.get("controls")) {
            if (c.get("controlUuid").asString().equals(controlUuid)) {
                return c;
            }
        }
        throw new AssertionError("no result for control " + controlUuid + " in " + assessment);
    }

    @Test
    void controlsAreAssessedAgainstThePlatformsKeysAndFailWithTheirFindings() {
        String tenant = newTenant();
        ServiceApi api = owner(tenant);
        PLATFORM.addApiKey(tenant, new TestPlatform.ApiKey("key_fresh" + tenant, "fresh", List.of("read:keys"),
                "active", daysAgo(10), daysAgo(1), NOW.plus(Duration.ofDays(30))));
        PLATFORM.addApiKey(tenant, new TestPlatform.ApiKey("key_old" + tenant, "old", List.of("admin"), "active",
                daysAgo(200), daysAgo(120), null));
        PLATFORM.addApiKey(tenant, new TestPlatform.ApiKey("key_revoked" + tenant, "revoked", List.of("admin"),
                "revoked", daysAgo(400), null, null));
        PLATFORM.addKmsKey(tenant, new TestPlatform.KmsKey("kms_rotated" + tenant, "rotated", "enabled",
                daysAgo(900), daysAgo(30)));

        String rotation = control(api, "SOC2", "CC6.1", List.of("api_keys_rotated_within_90_days"));
        String admin = control(api, "SOC2", "CC6.3", List.of("no_admin_api_keys", "no_stale_api_keys"));
        String kms = control(api, "ISO27001", "A.8.24", List.of("kms_keys_rotated_within_365_days"));
        String manual = control(api, "ISO27001", "A.5.18", List.of());

        JsonNode assessment = expect(api.post("/security/v1/compliance/assess", body("frameworks",
                List.of("SOC2", "ISO27001"))), 200);
        assertThat(assessment.get("assessmentId").asString()).isNotBlank();
        JsonNode soc2 = assessment.get("byFramework").get("SOC2");
        assertThat(soc2.get("passed").asInt()).isZero();
        assertThat(soc2.get("failed").asInt()).isEqualTo(2);
        assertThat(soc2.get("score").asDouble()).isZero();
        JsonNode iso = assessment.get("byFramework").get("ISO27001");
        assertThat(iso.get("passed").asInt()).isEqualTo(1);
        assertThat(iso.get("failed").asInt()).isZero();
        assertThat(iso.get("notAssessed").asInt()).isEqualTo(1);
        assertThat(iso.get("score").asDouble()).isEqualTo(100.0);
        assertThat(assessment.get("overallScore").asDouble()).isEqualTo(33.3);

        JsonNode rotationResult = controlResult(assessment, rotation);
        assertThat(rotationResult.get("status").asString()).isEqualTo("failed");
        assertThat(rotationResult.get("findings").findValuesAsString("resourceId"))
                .containsExactly("key_old" + tenant);
        JsonNode adminResult = controlResult(assessment, admin);
        assertThat(adminResult.get("findings").findValuesAsString("check"))
                .containsExactlyInAnyOrder("no_admin_api_keys", "no_stale_api_keys");
        assertThat(adminResult.get("findings").findValuesAsString("resourceId")).containsOnly("key_old" + tenant);
        assertThat(controlResult(assessment, kms).get("status").asString()).isEqualTo("passed");
        assertThat(controlResult(assessment, manual).get("status").asString()).isEqualTo("not_assessed");

        // scoped to playbooks and kms keys: the API key checks do not run, so no API key is read
        int readsBefore = PLATFORM.callsTo("GET", "/api/v1/keys").size();
        JsonNode scoped = expect(api.post("/security/v1/compliance/assess", body("frameworks", List.of("SOC2"),
                "scope", body("resourceTypes", List.of("kms_key")))), 200);
        assertThat(scoped.get("byFramework").get("SOC2").get("notAssessed").asInt()).isEqualTo(2);
        assertThat(PLATFORM.callsTo("GET", "/api/v1/keys")).hasSize(readsBefore);
    }

    @Test
    void aPlaybookRevokingAbusedKeysIsTheEvidenceOfTheResponseControl() {
        String tenant = newTenant();
        ServiceApi api = owner(tenant);
        String response = control(api, "SOC2", "CC7.4", List.of("api_key_abuse_response", "audit_events_monitored"));
        JsonNode before = expect(api.post("/security/v1/compliance/assess", body()), 200);
        assertThat(controlResult(before, response).get("status").asString()).isEqualTo("failed");
        assertThat(controlResult(before, response).get("findings")).hasSize(2);

        expect(api.post("/security/v1/playbooks", body("name", "revoke", "triggerConditions",
                body("eventTypes", List.of("auth.api_key.verification_failed")),
                "actions", List.of(body("type", "block")))), 201);
        JsonNode after = expect(api.post("/security/v1/compliance/assess", body("frameworks", List.of("SOC2"))),
                200);
        assertThat(controlResult(after, response).get("status").asString()).isEqualTo("passed");
        assertThat(after.get("byFramework").get("SOC2").get("score").asDouble()).isEqualTo(100.0);
    }

    @Test
    void controlsAreTheTenantsOwn() {
        String tenant = newTenant();
        String other = newTenant();
        control(owner(tenant), "SOC2", "CC6.1", List.of("audit_events_monitored"));
        expect(owner(tenant).post("/security/v1/compliance/controls", body("controlId", "CC6.1", "framework",
                "SOC2", "name", "again")), 409);
        control(owner(other), "SOC2", "CC6.1", List.of());
        JsonNode others = expect(owner(other).post("/security/v1/compliance/assess", body()), 200);
        assertThat(others.get("controls")).hasSize(1);
        assertThat(others.get("byFramework").get("SOC2").get("notAssessed").asInt()).isEqualTo(1);
    }

    @Test
    void evidenceIsReadWithTheCallersTokenAndARefusalIsNamed() {
        String tenant = newTenant();
        ServiceApi writer = owner(tenant);
        control(writer, "SOC2", "CC6.1", List.of("no_admin_api_keys"));
        ServiceApi withoutKeys = ServiceApi.of(port, tenant, "auditor", SecurityScopes.READ);
        JsonNode refused = expect(withoutKeys.post("/security/v1/compliance/assess", body()), 403);
        assertThat(refused.toString()).contains("auth-service");
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        ServiceApi api = owner(newTenant());
        assertField(api.post("/security/v1/compliance/controls", body("framework", "SOC2", "name", "n")),
                "controlId");
        assertField(api.post("/security/v1/compliance/controls", body("controlId", "c", "name", "n")), "framework");
        assertField(api.post("/security/v1/compliance/controls", body("controlId", "c", "framework", "f")), "name");
        assertField(api.post("/security/v1/compliance/controls", body("controlId", "c", "framework", "f", "name",
                "n", "automatedChecks", List.of("audit_events_monitored", "magic"))), "automatedChecks[1]");
        assertField(api.post("/security/v1/compliance/controls", body("controlId", "c", "framework", "f", "name",
                "n", "requirements", List.of(" "))), "requirements");
        assertField(api.post("/security/v1/compliance/assess", body("scope", body("resourceTypes",
                List.of("server")))), "scope.resourceTypes[0]");
        assertField(api.post("/security/v1/compliance/assess", body("scope", body("tags",
                Map.of("env", "prod")))), "scope.tags");
        assertField(api.post("/security/v1/compliance/assess", body("frameworks", List.of(""))), "frameworks");
    }

    @Test
    void callersNeedATokenAndTheScopes() {
        String tenant = newTenant();
        expect(ServiceApi.withToken(port, null).post("/security/v1/compliance/assess", body()), 401);
        expect(ServiceApi.of(port, tenant, "reader", SecurityScopes.READ).post("/security/v1/compliance/controls",
                body("controlId", "c", "framework", "f", "name", "n")), 403);
        expect(ServiceApi.of(port, tenant, "writer", SecurityScopes.WRITE).post("/security/v1/compliance/assess",
                body()), 403);
    }
}
