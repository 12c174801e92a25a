package io.qnsp.securitymonitoring.surface;

import io.qnsp.securitymonitoring.SecurityMonitoringIntegrationTests;
import io.qnsp.securitymonitoring.SecurityScopes;
import io.qnsp.securitymonitoring.TestPlatform;
import io.qnsp.test.http.ServiceApi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

class AttackSurfaceIntegrationTests extends SecurityMonitoringIntegrationTests {

    private static final Instant NOW = Instant.now();

    @BeforeAll
    static void platformAsDeployed() {
        Map<String, String> kms = new LinkedHashMap<>();
        kms.put("GET /kms/v1/keys", "kms:read");
        kms.put("POST /kms/v1/keys", "kms:write");
        kms.put("POST /kms/v1/keys/{keyId}/disable", "kms:write");
        kms.put("GET /kms/v1/public-info", "public");
        PLATFORM.routeService("kms", kms);
        Map<String, String> auth = new LinkedHashMap<>();
        auth.put("GET /api/v1/keys", "read:keys");
        auth.put("POST /api/v1/keys", "write:keys");
        auth.put("DELETE /api/v1/keys/{id}", "write:keys");
        auth.put("GET /api/v1/whoami", "unscoped");
        PLATFORM.routeService("auth", auth);
        PLATFORM.routeService("audit", Map.of());
    }

    private static List<JsonNode> paths(JsonNode analysis) {
        List<JsonNode> paths = new ArrayList<>();
        analysis.get("attackPaths").forEach(paths::add);
        return paths;
    }

    private static List<JsonNode> pathsAbout(JsonNode analysis, String text) {
        return paths(analysis).stream().filter(p -> p.get("steps").toString().contains(text)).toList();
    }

    @Test
    void openOperationsAreTheFirstLayerAndCredentialsTheNext() {
        String tenant = newTenant();
        ServiceApi api = owner(tenant);
        JsonNode shallow = expect(api.post("/security/v1/attack-surface/analyze", body("targetAsset", "platform",
                "analysisDepth", 1, "includeExternalThreats", true)), 200);
        assertThat(shallow.get("analysisId").asString()).isNotBlank();
        assertThat(paths(shallow)).singleElement().satisfies(path -> {
            assertThat(path.get("severity").asString()).isEqualTo("medium");
            assertThat(path.get("steps").get(1).get("asset").asString())
                    .isEqualTo("kms GET /kms/v1/public-info");
            assertThat(path.get("mitigations").get(0).asString()).contains("GET /kms/v1/public-info");
        });
        assertThat(shallow.get("servicesRead").toString()).contains("kms", "auth", "audit");
        assertThat(shallow.get("unreadableServices").toString()).contains("audit")
                .doesNotContain("kms");

        JsonNode deeper = expect(api.post("/security/v1/attack-surface/analyze", body("targetAsset", "platform",
                "analysisDepth", 2)), 200);
        assertThat(pathsAbout(deeper, "auth GET /api/v1/whoami")).singleElement()
                .satisfies(p -> assertThat(p.get("steps").get(1).get("vulnerability").asString())
                        .isEqualTo("no scope or role required"));
        assertThat(paths(deeper)).hasSize(2);
    }

    @Test
    void theTenantsExposedCredentialsAndPrivateWebhooksArePaths() {
        String tenant = newTenant();
        ServiceApi api = owner(tenant);
        PLATFORM.addApiKey(tenant, new TestPlatform.ApiKey("key_admin" + tenant, "ops", List.of("admin"), "active",
                NOW.minus(Duration.ofDays(5)), NOW, null));
        PLATFORM.addApiKey(tenant, new TestPlatform.ApiKey("key_stale" + tenant, "old", List.of("read:keys"),
                "active", NOW.minus(Duration.ofDays(300)), NOW.minus(Duration.ofDays(200)),
                NOW.plus(Duration.ofDays(10))));
        PLATFORM.addApiKey(tenant, new TestPlatform.ApiKey("key_fine" + tenant, "fine", List.of("read:keys"),
                "active", NOW.minus(Duration.ofDays(3)), NOW, null));
        PLATFORM.addApiKey(tenant, new TestPlatform.ApiKey("key_gone" + tenant, "gone", List.of("admin"),
                "revoked", NOW.minus(Duration.ofDays(300)), null, null));
        PLATFORM.addWebhook(tenant, "wh_meta" + tenant, "metadata", "http://169.254.169.254/latest");
        PLATFORM.addWebhook(tenant, "wh_public" + tenant, "public", "https://hooks.example.com/in");
        expect(api.post("/security/v1/playbooks", body("name", "internal hook", "triggerConditions",
                body("eventTypes", List.of("a.b")), "actions", List.of(body("type", "webhook", "parameters",
                        Map.of("url", "http://10.1.2.3:8080/hook"))))), 201);

        JsonNode analysis = expect(api.post("/security/v1/attack-surface/analyze", body("targetAsset", "platform",
                "analysisDepth", 3, "includeExternalThreats", true)), 200);
        JsonNode admin = pathsAbout(analysis, "key_admin" + tenant).getFirst();
        assertThat(admin.get("severity").asString()).isEqualTo("critical");
        assertThat(paths(analysis).getFirst().get("severity").asString()).isEqualTo("critical");
        // every authenticated operation admits the admin scope; persistence through a new key
        assertThat(admin.get("steps").get(1).get("asset").asString()).isEqualTo("7 operations of the target");
        assertThat(admin.get("steps").get(2).get("asset").asString()).isEqualTo("auth POST /api/v1/keys");
        assertThat(admin.get("mitigations").toString()).contains("only the scopes it needs", "an expiry");
        JsonNode stale = pathsAbout(analysis, "key_stale" + tenant).getFirst();
        assertThat(stale.get("severity").asString()).isEqualTo("medium");
        assertThat(stale.get("steps").get(1).get("asset").asString()).isEqualTo("2 operations of the target");
        assertThat(stale.get("steps")).hasSize(2);
        assertThat(pathsAbout(analysis, "key_fine" + tenant)).isEmpty();
        assertThat(pathsAbout(analysis, "key_gone" + tenant)).isEmpty();
        assertThat(pathsAbout(analysis, "wh_meta" + tenant)).singleElement().satisfies(p -> {
            assertThat(p.get("severity").asString()).isEqualTo("high");
            assertThat(p.get("steps").get(0).get("vulnerability").asString()).contains("169.254.169.254");
        });
        assertThat(pathsAbout(analysis, "wh_public" + tenant)).isEmpty();
        assertThat(pathsAbout(analysis, "10.1.2.3")).singleElement()
                .satisfies(p -> assertThat(p.get("steps").get(0).get("asset").asString())
                        .isEqualTo("playbook internal hook"));

        // another tenant's analysis sees none of this tenant's credentials or webhooks
        JsonNode others = expect(owner(newTenant()).post("/security/v1/attack-surface/analyze",
                body("targetAsset", "platform", "includeExternalThreats", true)), 200);
        assertThat(others.toString()).doesNotContain(tenant, "10.1.2.3");
    }

    @Test
    void theTargetNarrowsTheAnalysis() {
        ServiceApi api = owner(newTenant());
        JsonNode kms = expect(api.post("/security/v1/attack-surface/analyze", body("targetAsset", "auth")),
                200);
        assertThat(paths(kms)).singleElement().satisfies(p -> assertThat(p.toString()).contains("/api/v1/whoami"));
        assertField(api.post("/security/v1/attack-surface/analyze", body("targetAsset", "mainframe")),
                "targetAsset");
    }

    @Test
    void aSimulationReachesTheObjectivesTheCredentialsPass() {
        String tenant = newTenant();
        ServiceApi api = owner(tenant);
        PLATFORM.addApiKey(tenant, new TestPlatform.ApiKey("key_leaked" + tenant, "leaked", List.of("admin"),
                "active", NOW, NOW, null));
        List<String> objectives = List.of("POST /kms/v1/keys/{keyId}/disable", "kms", "/api/v1/keys");

        JsonNode limited = expect(api.post("/security/v1/attack-surface/simulate", body("scenario", "read key leak",
                "entryPoints", List.of("scopes:kms:read", "anonymous"), "objectives", objectives)), 200);
        assertThat(limited.get("simulationId").asString()).isNotBlank();
        JsonNode results = limited.get("results");
        assertThat(results.get("successProbability").asDouble()).isEqualTo(0.33);
        assertThat(results.get("timeToObjective").asString()).isEqualTo("1 request");
        assertThat(results.get("objectivesMissed").toString()).contains("POST /kms/v1/keys/{keyId}/disable",
                "/api/v1/keys");
        assertThat(results.get("pathsTaken").findValuesAsString("access"))
                .containsExactlyInAnyOrder("scopes kms:read held", "public");
        assertThat(results.get("assetsCompromised").toString()).contains("kms: GET /kms/v1/keys",
                "kms: GET /kms/v1/public-info").doesNotContain("POST /kms/v1/keys");

        JsonNode leaked = expect(api.post("/security/v1/attack-surface/simulate", body("scenario", "admin key leak",
                "entryPoints", List.of("api_key:key_leaked" + tenant), "objectives", objectives)), 200);
        assertThat(leaked.get("results").get("successProbability").asDouble()).isEqualTo(1.0);
        assertThat(leaked.get("results").get("timeToObjective").asString()).isEqualTo("3 requests");
        assertThat(leaked.get("results").get("pathsTaken").findValuesAsString("access"))
                .containsOnly("admin holds every scope");

        // another tenant cannot name this tenant's key
        assertField(owner(newTenant()).post("/security/v1/attack-surface/simulate", body("scenario", "s",
                "entryPoints", List.of("api_key:key_leaked" + tenant), "objectives", objectives)), "entryPoints[0]");
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        ServiceApi api = owner(newTenant());
        assertField(api.post("/security/v1/attack-surface/analyze", body("analysisDepth", 2)), "targetAsset");
        assertField(api.post("/security/v1/attack-surface/analyze", body("targetAsset", "platform",
                "analysisDepth", 9)), "analysisDepth");
        assertField(api.post("/security/v1/attack-surface/simulate", body("entryPoints", List.of("anonymous"),
                "objectives", List.of("kms"))), "scenario");
        assertField(api.post("/security/v1/attack-surface/simulate", body("scenario", "s",
                "objectives", List.of("kms"))), "entryPoints");
        assertField(api.post("/security/v1/attack-surface/simulate", body("scenario", "s",
                "entryPoints", List.of("anonymous", "bogus"), "objectives", List.of("kms"))),
                "entryPoints[1]");
        assertField(api.post("/security/v1/attack-surface/simulate", body("scenario", "s",
                "entryPoints", List.of("anonymous"), "objectives", List.of("nothing-service"))), "objectives[0]");
    }

    @Test
    void callersNeedATokenAndTheScope() {
        String tenant = newTenant();
        expect(ServiceApi.withToken(port, null).post("/security/v1/attack-surface/analyze",
                body("targetAsset", "platform")), 401);
        expect(ServiceApi.of(port, tenant, "writer", SecurityScopes.WRITE).post("/security/v1/attack-surface/simulate",
                body("scenario", "s", "entryPoints", List.of("anonymous"), "objectives", List.of("kms"))),
                403);
    }
}
