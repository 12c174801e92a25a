package io.qnsp.vault.leak;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.vault.VaultScopes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static io.qnsp.vault.leak.LeakApi.BASE;
import static io.qnsp.vault.leak.LeakApi.assertFieldRefused;
import static io.qnsp.vault.leak.LeakApi.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

/** Leak detection policies over real HTTP: what is kept, what is refused, and who may see them. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class LeakPolicyIntegrationTests {

    private static final String POLICIES = BASE + "/policies";

    @LocalServerPort
    int port;

    String tenant;
    LeakApi api;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        api = LeakApi.of(port, tenant, "secops-alice", LeakApi.ALL_SCOPES);
    }

    @Test
    void aPolicyIsKeptAsWrittenListedAndDeleted() {
        JsonNode created = expect(api.post(POLICIES, body("name", "production repos", "description", "prod only",
                "secretPatterns", List.of(
                        body("type", "regex", "pattern", "internal_[a-f0-9]{32}", "severity", "high"),
                        body("type", "keyword", "pattern", "password", "severity", "medium"),
                        body("type", "entropy", "pattern", " 4.2 ", "severity", "low")),
                "scanTargets", List.of("github", "git"),
                "actions", body("onDetection", "rotate", "notificationChannels", List.of("slack:#secops",
                        "mailto:secops@example.com")))), 201);
        String policyId = created.get("policyId").asString();
        assertThat(created.get("name").asString()).isEqualTo("production repos");
        assertThat(created.get("createdAt").isNull()).isFalse();

        JsonNode policy = expect(api.get(POLICIES + "/" + policyId), 200);
        assertThat(policy.get("description").asString()).isEqualTo("prod only");
        assertThat(policy.get("secretPatterns")).hasSize(3);
        assertThat(policy.get("secretPatterns").get(0).get("pattern").asString()).isEqualTo("internal_[a-f0-9]{32}");
        assertThat(policy.get("secretPatterns").get(2).get("pattern").asString()).isEqualTo("4.2");
        assertThat(policy.get("scanTargets").toString()).isEqualTo("[\"github\",\"git\"]");
        assertThat(policy.get("actions").get("onDetection").asString()).isEqualTo("rotate");
        assertThat(policy.get("actions").get("generator").asString()).isEqualTo("password");
        assertThat(policy.get("actions").get("notificationChannels")).hasSize(2);
        assertThat(policy.get("enabled").asBoolean()).isTrue();
        assertThat(policy.get("includeDefaultRules").asBoolean()).isTrue();

        String minimal = api.createPolicy(body("name", "defaults only"));
        JsonNode defaults = expect(api.get(POLICIES + "/" + minimal), 200);
        assertThat(defaults.get("secretPatterns")).isEmpty();
        assertThat(defaults.get("scanTargets").toString()).isEqualTo("[\"git\",\"github\",\"gitlab\"]");
        assertThat(defaults.get("actions").get("onDetection").asString()).isEqualTo("alert");
        assertThat(defaults.get("actions").get("generator").isNull()).isTrue();

        JsonNode list = expect(api.get(POLICIES), 200);
        assertThat(list.get("policies")).hasSize(2);
        assertThat(list.get("policies").get(0).get("policyId").asString()).isEqualTo(policyId);
        assertThat(list.get("policies").get(0).get("secretPatterns").asInt()).isEqualTo(3);
        assertThat(list.get("policies").get(1).get("secretPatterns").asInt()).isZero();

        assertStatus(api.post(POLICIES, body("name", "production repos")), 409);
        expect(api.delete(POLICIES + "/" + policyId), 204);
        assertStatus(api.get(POLICIES + "/" + policyId), 404);
        assertStatus(api.delete(POLICIES + "/" + policyId), 404);
        assertThat(expect(api.get(POLICIES), 200).get("policies")).hasSize(1);
    }

    @Test
    void invalidPoliciesAreRefusedNamingTheField() {
        assertFieldRefused(api.post(POLICIES, body("description", "no name")), "name");
        assertFieldRefused(api.post(POLICIES, body("name", "x", "secretPatterns", List.of(body("type", "glob",
                "pattern", "*", "severity", "low")))), "secretPatterns[0].type");
        assertFieldRefused(api.post(POLICIES, body("name", "x", "secretPatterns", List.of(body("type", "regex",
                "pattern", "(a+)+b", "severity", "low")))), "secretPatterns[0].pattern");
        assertFieldRefused(api.post(POLICIES, body("name", "x", "secretPatterns", List.of(body("type", "regex",
                "pattern", "([a-z]", "severity", "low")))), "secretPatterns[0].pattern");
        assertFieldRefused(api.post(POLICIES, body("name", "x", "secretPatterns", List.of(body("type", "regex",
                "pattern", "x".repeat(600), "severity", "low")))), "secretPatterns[0].pattern");
        assertFieldRefused(api.post(POLICIES, body("name", "x", "secretPatterns", List.of(body("type", "entropy",
                "pattern", "lots", "severity", "low")))), "secretPatterns[0].pattern");
        assertFieldRefused(api.post(POLICIES, body("name", "x", "secretPatterns", List.of(body("type", "keyword",
                "pattern", "pass", "severity", "urgent")))), "secretPatterns[0].severity");
        assertFieldRefused(api.post(POLICIES, body("name", "x", "includeDefaultRules", false)), "secretPatterns");
        assertFieldRefused(api.post(POLICIES, body("name", "x", "scanTargets", List.of("github", "pastebin"))),
                "scanTargets[1]");
        assertFieldRefused(api.post(POLICIES, body("name", "x", "actions", body("onDetection", "delete"))),
                "actions.onDetection");
        assertFieldRefused(api.post(POLICIES, body("name", "x", "actions", body("notificationChannels",
                List.of("a")))), "actions.onDetection");
        assertFieldRefused(api.post(POLICIES, body("name", "x", "actions", body("onDetection", "rotate",
                "generator", "dice"))), "actions.generator");
        assertFieldRefused(api.post(POLICIES, body("name", "x", "actions", body("onDetection", "alert",
                "generator", "hex-64"))), "actions.generator");
        assertFieldRefused(api.post(POLICIES, body("name", "x", "actions", body("onDetection", "alert",
                "notificationChannels", List.of("")))), "actions.notificationChannels[0]");
        assertFieldRefused(api.postJson(POLICIES, "{\"name\": \"x\", \"enabled\": \"sometimes\"}"), "enabled");
        assertFieldRefused(api.postJson(POLICIES, "{\"name\": \"x\", \"secretPatterns\": {}}"), "secretPatterns");
        assertThat(expect(api.get(POLICIES), 200).get("policies")).isEmpty();
    }

    @Test
    void policiesBelongToTheirTenantAndNeedTheirScopes() {
        String policyId = api.createPolicy(body("name", "mine"));
        LeakApi other = LeakApi.of(port, "tenant-" + UUID.randomUUID(), "mallory", LeakApi.ALL_SCOPES);
        assertStatus(other.get(POLICIES + "/" + policyId), 404);
        assertStatus(other.delete(POLICIES + "/" + policyId), 404);
        assertThat(expect(other.get(POLICIES), 200).get("policies")).isEmpty();
        assertStatus(api.get(POLICIES + "/not-a-uuid"), 404);

        LeakApi anonymous = LeakApi.withToken(port, null);
        assertStatus(anonymous.get(POLICIES), 401);
        assertStatus(anonymous.post(POLICIES, body("name", "x")), 401);
        assertStatus(anonymous.get(POLICIES + "/" + policyId), 401);
        assertStatus(anonymous.delete(POLICIES + "/" + policyId), 401);
        LeakApi reader = LeakApi.of(port, tenant, "reader", VaultScopes.READ);
        LeakApi writer = LeakApi.of(port, tenant, "writer", VaultScopes.WRITE);
        assertStatus(reader.post(POLICIES, body("name", "x")), 403);
        assertStatus(reader.delete(POLICIES + "/" + policyId), 403);
        assertStatus(writer.get(POLICIES), 403);
        assertStatus(writer.get(POLICIES + "/" + policyId), 403);
        assertThat(expect(reader.get(POLICIES + "/" + policyId), 200).get("name").asString()).isEqualTo("mine");
        expect(writer.delete(POLICIES + "/" + policyId), 204);
    }

    static Map<String, Object> pattern(String type, String pattern, String severity) {
        return body("type", type, "pattern", pattern, "severity", severity);
    }
}
