package io.qnsp.access.simulation;

import io.qnsp.access.AccessApi;
import io.qnsp.access.AccessIntegrationTest;
import io.qnsp.access.AccessScopes;
import io.qnsp.access.decision.DecisionLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.access.AccessApi.body;
import static io.qnsp.access.AccessApi.query;
import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertForbidden;
import static io.qnsp.test.http.ApiAssertions.assertNotFound;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Single and batch simulations, the history, and the refusals of the simulation endpoints. */
@AccessIntegrationTest
class SimulationIntegrationTests {

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
        api = AccessApi.of(port, tenant, "analyst-1", AccessApi.ALL_SCOPES);
    }

    @Test
    void aSimulationAnswersLikeACheckButIsRecordedOnlyInTheHistory() {
        String policy = api.createPolicy("readers", "allow", List.of("user:*"), List.of("document:*"),
                List.of("read"), Map.of("environment.sourceIp", Map.of("cidr", "10.0.0.0/8")));
        JsonNode simulated = ok(api.post("/access/v1/simulate", query("user:alice", "document:d1", "read",
                Map.of(), Map.of("sourceIp", "10.0.0.7"))));
        assertThat(simulated.get("decision").asString()).isEqualTo("allow");
        assertThat(simulated.get("effectivePolicies").get(0).asString()).isEqualTo(policy);
        assertThat(simulated.get("reasons").get(0).get("matchedConditions").get(0).asString())
                .isEqualTo("environment.sourceIp cidr \"10.0.0.0/8\"");
        decisionLog.flush();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM access_decision WHERE tenant_id = ?", Long.class,
                tenant)).isZero();

        JsonNode history = ok(api.get("/access/v1/simulate/history"));
        assertThat(history.get("total").asLong()).isEqualTo(1);
        JsonNode entry = history.get("simulations").get(0);
        assertThat(entry.get("simulationId").asString()).isEqualTo(simulated.get("simulationId").asString());
        assertThat(entry.get("type").asString()).isEqualTo("single");
        assertThat(entry.get("requestedBy").asString()).isEqualTo("analyst-1");
        assertThat(entry.get("summary").get("decision").asString()).isEqualTo("allow");
        assertThat(entry.get("summary").get("resource").asString()).isEqualTo("document:d1");
    }

    @Test
    void aBatchAnswersEachRequestInOrderWithASummary() {
        api.createPolicy("readers", "allow", List.of("user:alice"), List.of("document:*"), List.of("read"));
        JsonNode batch = ok(api.post("/access/v1/simulate/batch", body("requests", List.of(
                body("requestId", "a", "principal", body("type", "user", "id", "alice"),
                        "resource", body("type", "document", "id", "d1"), "action", "read"),
                body("requestId", "b", "principal", body("type", "user", "id", "bob"),
                        "resource", body("type", "document", "id", "d1"), "action", "read"),
                body("requestId", "c", "principal", body("type", "user", "id", "alice"),
                        "resource", body("type", "document", "id", "d1"), "action", "write")))));
        assertThat(batch.get("results").get(0).get("requestId").asString()).isEqualTo("a");
        assertThat(batch.get("results").get(0).get("decision").asString()).isEqualTo("allow");
        assertThat(batch.get("results").get(0).get("reasons").get(0).get("policyName").asString())
                .isEqualTo("readers");
        assertThat(batch.get("results").get(1).get("decision").asString()).isEqualTo("deny");
        assertThat(batch.get("results").get(2).get("requestId").asString()).isEqualTo("c");
        assertThat(batch.get("summary").get("total").asInt()).isEqualTo(3);
        assertThat(batch.get("summary").get("allowed").asInt()).isEqualTo(1);
        assertThat(batch.get("summary").get("denied").asInt()).isEqualTo(2);
        JsonNode entry = ok(api.get("/access/v1/simulate/history")).get("simulations").get(0);
        assertThat(entry.get("type").asString()).isEqualTo("batch");
        assertThat(entry.get("summary").get("denied").asInt()).isEqualTo(2);

        assertFieldRefused(api.post("/access/v1/simulate/batch", body("requests", List.of())), "requests");
        assertFieldRefused(api.post("/access/v1/simulate/batch", body("requests", List.of(
                body("requestId", "a", "principal", body("type", "user", "id", "alice"),
                        "resource", body("type", "document", "id", "d1"), "action", "read"),
                body("principal", body("type", "user", "id", "bob"),
                        "resource", body("type", "document", "id", "d1"), "action", "read")))),
                "requests[1].requestId");
        assertFieldRefused(api.post("/access/v1/simulate/batch", body("requests", List.of(
                body("requestId", "a", "principal", body("type", "robot", "id", "alice"),
                        "resource", body("type", "document", "id", "d1"), "action", "read")))),
                "requests[0].principal.type");
    }

    @Test
    void theHistoryPagesFiltersAndNamesBrokenParameters() {
        for (int i = 0; i < 3; i++) {
            ok(api.post("/access/v1/simulate", query("user:u" + i, "document:d1", "read", Map.of(), Map.of())));
        }
        ok(api.post("/access/v1/simulate/impact", body("policyChange", body("type", "create", "newPolicy",
                body("name", "n", "effect", "deny", "principals", List.of("*"), "resources", List.of("*"),
                        "actions", List.of("*"))))));
        JsonNode page = ok(api.get("/access/v1/simulate/history?limit=2&offset=1"));
        assertThat(page.get("total").asLong()).isEqualTo(4);
        assertThat(page.get("simulations")).hasSize(2);
        JsonNode newest = ok(api.get("/access/v1/simulate/history?limit=1")).get("simulations").get(0);
        assertThat(newest.get("type").asString()).isEqualTo("impact");
        assertThat(newest.get("summary").get("analysisId").asString()).isEqualTo(newest.get("simulationId").asString());
        assertThat(ok(api.get("/access/v1/simulate/history?since=2999-01-01T00:00:00Z")).get("total").asLong())
                .isZero();
        assertFieldRefused(api.get("/access/v1/simulate/history?since=yesterday"), "since");
        assertFieldRefused(api.get("/access/v1/simulate/history?limit=101"), "limit");
        AccessApi other = AccessApi.of(port, "tenant-" + UUID.randomUUID(), "x", AccessApi.ALL_SCOPES);
        assertThat(ok(other.get("/access/v1/simulate/history")).get("total").asLong()).isZero();
    }

    @Test
    void anImpactAnalysisNamesEachBrokenFieldAndKeepsToItsTenant() {
        String id = api.createPolicy("p", "allow", List.of("*"), List.of("*"), List.of("read"));
        assertFieldRefused(api.post("/access/v1/simulate/impact", body()), "policyChange");
        assertFieldRefused(api.post("/access/v1/simulate/impact", body("policyChange", body("type", "rename"))),
                "policyChange.type");
        assertFieldRefused(api.post("/access/v1/simulate/impact", body("policyChange", body("type", "delete"))),
                "policyChange.policyId");
        assertFieldRefused(api.post("/access/v1/simulate/impact", body("policyChange", body("type", "update",
                "policyId", id, "newPolicy", body("name", "p", "effect", "maybe", "principals", List.of("*"),
                        "resources", List.of("*"), "actions", List.of("*"))))), "policyChange.newPolicy.effect");
        assertFieldRefused(api.post("/access/v1/simulate/impact", body("policyChange", body("type", "delete",
                "policyId", id), "sampleSize", 101)), "sampleSize");

        JsonNode deleted = ok(api.post("/access/v1/simulate/impact", body("policyChange", body("type", "delete",
                "policyId", id))));
        assertThat(deleted.get("changeType").asString()).isEqualTo("delete");
        AccessApi other = AccessApi.of(port, "tenant-" + UUID.randomUUID(), "x", AccessApi.ALL_SCOPES);
        assertNotFound(other.post("/access/v1/simulate/impact", body("policyChange", body("type", "delete",
                "policyId", id))));
        assertNotFound(other.get("/access/v1/simulate/impact/" + deleted.get("analysisId").asString()));
        assertNotFound(api.get("/access/v1/simulate/impact/not-an-id"));
        assertNotFound(api.get("/access/v1/simulate/impact/" + UUID.randomUUID()));

        AccessApi checker = AccessApi.of(port, tenant, "svc", AccessScopes.CHECK);
        assertForbidden(checker.post("/access/v1/simulate", query("user:a", "d:1", "read", Map.of(), Map.of())),
                AccessScopes.READ);
        assertForbidden(checker.get("/access/v1/simulate/history"), AccessScopes.READ);
        assertForbidden(checker.post("/access/v1/simulate/impact", body("policyChange", body("type", "delete",
                "policyId", id))), AccessScopes.READ);
    }
}
