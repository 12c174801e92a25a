package io.qnsp.access.policy;

import io.qnsp.access.AccessApi;
import io.qnsp.access.AccessIntegrationTest;
import io.qnsp.access.AccessScopes;
import io.qnsp.access.decision.DecisionLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertForbidden;
import static io.qnsp.test.http.ApiAssertions.assertNotFound;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.test.http.ApiAssertions.ok;
import static io.qnsp.access.AccessApi.body;
import static io.qnsp.access.AccessApi.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Policies over real HTTP: the CRUD, validation naming each field, decisions with their reasons (deny wins, default
 * deny, conditions on attributes and context), the decision log, tenancy and scopes.
 */
@AccessIntegrationTest
class PolicyIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DecisionLog decisionLog;

    String tenant;
    AccessApi api;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        api = AccessApi.of(port, tenant, "admin-1", AccessApi.ALL_SCOPES);
    }

    @Test
    void aPolicyIsCreatedReadListedReplacedAndDeleted() {
        ResponseEntity<JsonNode> created = api.post("/access/v1/policies", body("name", "readers",
                "description", "staff read documents", "effect", "allow", "principals", List.of("group:staff"),
                "resources", List.of("document:*"), "actions", List.of("read", "list*"),
                "conditions", Map.of("resource.classification", Map.of("in", List.of("public", "internal")))));
        JsonNode policy = ok(created, 201);
        String id = policy.get("policyId").asString();
        assertThat(created.getHeaders().getLocation().toString()).endsWith("/access/v1/policies/" + id);
        assertThat(policy.get("revision").asInt()).isEqualTo(1);
        assertThat(policy.get("createdBy").asString()).isEqualTo("admin-1");
        assertThat(policy.get("conditions").get("resource.classification").get("in").get(1).asString())
                .isEqualTo("internal");

        JsonNode read = ok(api.get("/access/v1/policies/" + id));
        assertThat(read.get("name").asString()).isEqualTo("readers");
        assertThat(read.get("actions").get(1).asString()).isEqualTo("list*");

        api.createPolicy("writers", "allow", List.of("group:editors"), List.of("document:*"), List.of("write"));
        JsonNode list = ok(api.get("/access/v1/policies?limit=1"));
        assertThat(list.get("total").asLong()).isEqualTo(2);
        assertThat(list.get("policies")).hasSize(1);
        assertThat(list.get("policies").get(0).get("name").asString()).isEqualTo("readers");

        JsonNode replaced = ok(api.put("/access/v1/policies/" + id, body("name", "readers", "effect", "deny",
                "principals", List.of("group:staff"), "resources", List.of("document:*"), "actions",
                List.of("read"))));
        assertThat(replaced.get("revision").asInt()).isEqualTo(2);
        assertThat(replaced.get("effect").asString()).isEqualTo("deny");
        assertThat(replaced.get("conditions").isEmpty()).isTrue();

        assertStatus(api.delete("/access/v1/policies/" + id), 204);
        assertNotFound(api.get("/access/v1/policies/" + id));
        assertThat(ok(api.get("/access/v1/policies")).get("total").asLong()).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT change_type FROM access_policy_change WHERE tenant_id = ? "
                + "ORDER BY id", String.class, tenant)).containsExactly("create", "create", "update", "delete");
    }

    @Test
    void everyBrokenFieldIsNamed() {
        assertFieldRefused(api.post("/access/v1/policies", body("effect", "allow", "principals", List.of("*"),
                "resources", List.of("*"), "actions", List.of("*"))), "name");
        assertFieldRefused(api.post("/access/v1/policies", body("name", "x", "effect", "permit",
                "principals", List.of("*"), "resources", List.of("*"), "actions", List.of("*"))), "effect");
        assertFieldRefused(api.post("/access/v1/policies", body("name", "x", "effect", "allow",
                "principals", List.of("robot:r2"), "resources", List.of("*"), "actions", List.of("*"))),
                "principals[0]");
        assertFieldRefused(api.post("/access/v1/policies", body("name", "x", "effect", "allow",
                "principals", List.of("*"), "resources", List.of("documents"), "actions", List.of("*"))),
                "resources[0]");
        assertFieldRefused(api.post("/access/v1/policies", body("name", "x", "effect", "allow",
                "principals", List.of("*"), "resources", List.of("*"), "actions", List.of())), "actions");
        assertFieldRefused(api.post("/access/v1/policies", body("name", "x", "effect", "allow",
                "principals", List.of("*"), "resources", List.of("*"), "actions", List.of("*"),
                "conditions", Map.of("environment.sourceIp", Map.of("cidr", "10.0.0.0/40")))),
                "conditions.environment.sourceIp.cidr");
        assertFieldRefused(api.postJson("/access/v1/policies", "{\"name\": \"x\", \"principals\": \"*\"}"),
                "principals");
        assertStatus(api.postJson("/access/v1/policies", "{\"name\": "), 400);
        api.createPolicy("same", "allow", List.of("*"), List.of("*"), List.of("read"));
        ResponseEntity<JsonNode> taken = api.post("/access/v1/policies", body("name", "SAME", "effect", "deny",
                "principals", List.of("*"), "resources", List.of("*"), "actions", List.of("*")));
        assertStatus(taken, 409);
        assertThat(taken.getBody().get("details").get("field").asString()).isEqualTo("name");
        assertFieldRefused(api.get("/access/v1/policies?limit=0"), "limit");
    }

    @Test
    void anExplicitDenyWinsAndNothingMatchingMeansDenyWithTheReasonsNamed() {
        String readers = api.createPolicy("readers", "allow", List.of("group:staff"), List.of("document:*"),
                List.of("read"));
        String secret = api.createPolicy("no-secrets", "deny", List.of("*"), List.of("document:*"), List.of("*"),
                Map.of("resource.classification", "secret"));

        JsonNode allowed = ok(api.post("/access/v1/check", body("principal", body("type", "user", "id", "alice",
                "groups", List.of("staff")), "resource", body("type", "document", "id", "d1", "attributes",
                Map.of("classification", "internal")), "action", "read")));
        assertThat(allowed.get("decision").asString()).isEqualTo("allow");
        assertThat(allowed.get("effectivePolicies").get(0).asString()).isEqualTo(readers);
        assertThat(allowed.get("reasons")).hasSize(1);
        assertThat(allowed.get("reasons").get(0).get("policyName").asString()).isEqualTo("readers");
        assertThat(allowed.get("reasons").get(0).get("effect").asString()).isEqualTo("allow");

        JsonNode denied = ok(api.post("/access/v1/check", body("principal", body("type", "user", "id", "alice",
                "groups", List.of("staff")), "resource", body("type", "document", "id", "d2", "attributes",
                Map.of("classification", "secret")), "action", "read")));
        assertThat(denied.get("decision").asString()).isEqualTo("deny");
        assertThat(denied.get("effectivePolicies")).hasSize(1);
        assertThat(denied.get("effectivePolicies").get(0).asString()).isEqualTo(secret);
        assertThat(denied.get("reasons")).hasSize(2);
        assertThat(denied.get("reasons").get(0).get("policyId").asString()).isEqualTo(secret);
        assertThat(denied.get("reasons").get(0).get("matchedConditions").get(0).asString())
                .isEqualTo("resource.classification equals \"secret\"");
        assertThat(denied.get("reasons").get(1).get("policyId").asString()).isEqualTo(readers);

        JsonNode nothing = ok(api.post("/access/v1/check", query("user:bob", "document:d1", "read", Map.of(),
                Map.of())));
        assertThat(nothing.get("decision").asString()).isEqualTo("deny");
        assertThat(nothing.get("reasons")).isEmpty();
        assertThat(nothing.get("effectivePolicies")).isEmpty();
    }

    @Test
    void conditionsOnTheRequestContextAreChecked() {
        api.createPolicy("office-network", "allow", List.of("user:*"), List.of("payroll:*"), List.of("read"),
                Map.of("environment.sourceIp", Map.of("cidr", List.of("10.0.0.0/8")),
                        "resource.amount", Map.of("lte", 10000),
                        "time", Map.of("after", "2020-01-01T00:00:00Z")));
        assertThat(ok(api.post("/access/v1/check", query("user:carol", "payroll:p1", "read",
                Map.of("amount", 500), Map.of("sourceIp", "10.1.1.1")))).get("decision").asString())
                .isEqualTo("allow");
        assertThat(ok(api.post("/access/v1/check", query("user:carol", "payroll:p1", "read",
                Map.of("amount", 500), Map.of("sourceIp", "172.16.0.1")))).get("decision").asString())
                .isEqualTo("deny");
        assertThat(ok(api.post("/access/v1/check", query("user:carol", "payroll:p1", "read",
                Map.of("amount", 10001), Map.of("sourceIp", "10.1.1.1")))).get("decision").asString())
                .isEqualTo("deny");
        Map<String, Object> past = query("user:carol", "payroll:p1", "read", Map.of("amount", 1),
                Map.of("sourceIp", "10.1.1.1"));
        past.put("context", body("environment", Map.of("sourceIp", "10.1.1.1"), "timestamp", "2019-12-31T23:00:00Z"));
        assertThat(ok(api.post("/access/v1/check", past)).get("decision").asString()).isEqualTo("deny");
    }

    @Test
    void everyCheckIsWrittenToTheDecisionLog() {
        String policy = api.createPolicy("readers", "allow", List.of("user:alice"), List.of("document:*"),
                List.of("read"));
        api.decision("user:alice", "document:d1", "read");
        api.decision("user:bob", "document:d1", "read");
        decisionLog.flush();
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT principal_id, resource_id, action, decision, "
                + "policies::text AS policies FROM access_decision WHERE tenant_id = ? ORDER BY id", tenant);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("principal_id", "alice").containsEntry("decision", "allow");
        assertThat((String) rows.get(0).get("policies")).contains(policy);
        assertThat(rows.get(1)).containsEntry("principal_id", "bob").containsEntry("decision", "deny");
    }

    @Test
    void aCheckNamesEachBrokenField() {
        assertFieldRefused(api.post("/access/v1/check", body("resource", body("type", "d", "id", "1"),
                "action", "read")), "principal");
        assertFieldRefused(api.post("/access/v1/check", body("principal", body("type", "robot", "id", "r"),
                "resource", body("type", "d", "id", "1"), "action", "read")), "principal.type");
        assertFieldRefused(api.post("/access/v1/check", body("principal", body("type", "user", "id", "a"),
                "resource", body("type", "d", "id", "1"))), "action");
        Map<String, Object> badTime = query("user:a", "d:1", "read", Map.of(), Map.of());
        badTime.put("context", body("timestamp", "tomorrow"));
        assertFieldRefused(api.post("/access/v1/check", badTime), "context.timestamp");
    }

    @Test
    void anotherTenantsPoliciesAreNotFoundAndNeverDecide() {
        String id = api.createPolicy("mine", "allow", List.of("*"), List.of("*"), List.of("*"));
        AccessApi other = AccessApi.of(port, "tenant-" + UUID.randomUUID(), "admin-2", AccessApi.ALL_SCOPES);
        assertNotFound(other.get("/access/v1/policies/" + id));
        assertNotFound(other.put("/access/v1/policies/" + id, body("name", "x", "effect", "deny",
                "principals", List.of("*"), "resources", List.of("*"), "actions", List.of("*"))));
        assertNotFound(other.delete("/access/v1/policies/" + id));
        assertNotFound(other.get("/access/v1/policies/not-a-uuid"));
        assertThat(ok(other.get("/access/v1/policies")).get("total").asLong()).isZero();
        assertThat(other.decision("user:alice", "document:d1", "read")).isEqualTo("deny");
        assertThat(api.decision("user:alice", "document:d1", "read")).isEqualTo("allow");
        assertThat(ok(api.get("/access/v1/policies/" + id)).get("name").asString()).isEqualTo("mine");
    }

    @Test
    void eachOperationNeedsItsScope() {
        String id = api.createPolicy("p", "allow", List.of("*"), List.of("*"), List.of("*"));
        AccessApi reader = AccessApi.of(port, tenant, "reader", AccessScopes.READ);
        AccessApi checker = AccessApi.of(port, tenant, "svc", AccessScopes.CHECK);
        assertForbidden(reader.post("/access/v1/policies", body("name", "x", "effect", "allow",
                "principals", List.of("*"), "resources", List.of("*"), "actions", List.of("*"))), AccessScopes.WRITE);
        assertForbidden(reader.delete("/access/v1/policies/" + id), AccessScopes.WRITE);
        assertForbidden(reader.post("/access/v1/check", query("user:a", "d:1", "read", Map.of(), Map.of())),
                AccessScopes.CHECK);
        assertForbidden(checker.get("/access/v1/policies/" + id), AccessScopes.READ);
        assertThat(checker.decision("user:a", "d:1", "read")).isEqualTo("allow");
        assertStatus(AccessApi.withToken(port, null).get("/access/v1/policies"), 401);
    }
}
