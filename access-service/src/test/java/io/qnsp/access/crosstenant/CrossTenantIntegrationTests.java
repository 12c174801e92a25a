package io.qnsp.access.crosstenant;

import io.qnsp.access.AccessApi;
import io.qnsp.access.AccessIntegrationTest;
import io.qnsp.access.AccessScopes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.access.AccessApi.body;
import static io.qnsp.access.AccessApi.query;
import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertForbidden;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cross-tenant analysis over two tenants built for each test: a principal of tenant B named in and allowed by a
 * policy of tenant A, policies held by both in different forms, drift and escalation. Only the platform operator
 * sees any of it.
 */
@AccessIntegrationTest
class CrossTenantIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    String a;
    String b;
    String bob;
    AccessApi inA;
    AccessApi inB;
    AccessApi operator;

    @BeforeEach
    void setUp() {
        a = "tenant-a-" + UUID.randomUUID();
        b = "tenant-b-" + UUID.randomUUID();
        bob = "bob-" + UUID.randomUUID();
        inA = AccessApi.withRoles(port, a, "admin-a", new String[]{"admin"}, AccessApi.ALL_SCOPES);
        inB = AccessApi.withRoles(port, b, "admin-b", new String[]{"admin"}, AccessApi.ALL_SCOPES);
        operator = AccessApi.withRoles(port, "platform", "operator", new String[]{"admin", AccessScopes.PLATFORM_ADMIN});
    }

    /** Bob is first seen in B; A's policy "shared" names him and allows him twice. */
    private void twoTenants() {
        inB.createPolicy("readers", "allow", List.of("group:staff"), List.of("document:*"), List.of("read", "list"));
        inB.createPolicy("b-only", "deny", List.of("*"), List.of("bucket:*"), List.of("delete"));
        assertThat(inB.decision("user:" + bob, "document:b1", "list")).isEqualTo("deny");
        inA.createPolicy("readers", "allow", List.of("group:staff"), List.of("document:*"), List.of("read"));
        inA.createPolicy("shared", "allow", List.of("user:" + bob), List.of("document:a1"), List.of("read"));
        assertThat(inA.decision("user:" + bob, "document:a1", "read")).isEqualTo("allow");
        assertThat(inA.decision("user:" + bob, "document:a1", "read")).isEqualTo("allow");
        ok(inA.post("/access/v1/check", body("principal", body("type", "user", "id", "carol-" + a,
                "groups", List.of("staff")), "resource", body("type", "document", "id", "a2"), "action", "read")));
    }

    @Test
    void theOverviewCountsEachTenantAndTheAccessAcrossThem() {
        twoTenants();
        JsonNode overview = ok(operator.post("/access/v1/cross-tenant/overview",
                body("tenantIds", List.of(a, b), "includeMetrics", true)));
        assertThat(overview.get("tenants")).hasSize(2);
        JsonNode first = overview.get("tenants").get(0);
        assertThat(first.get("tenantId").asString()).isEqualTo(a);
        assertThat(first.get("policyCount").asLong()).isEqualTo(2);
        assertThat(first.get("userCount").asLong()).isEqualTo(2);
        assertThat(first.get("roleCount").asLong()).isEqualTo(1);
        JsonNode second = overview.get("tenants").get(1);
        assertThat(second.get("policyCount").asLong()).isEqualTo(2);
        assertThat(second.get("userCount").asLong()).isEqualTo(1);
        assertThat(overview.get("crossTenantAccess")).hasSize(1);
        JsonNode access = overview.get("crossTenantAccess").get(0);
        assertThat(access.get("sourceTenant").asString()).isEqualTo(b);
        assertThat(access.get("targetTenant").asString()).isEqualTo(a);
        assertThat(access.get("accessCount").asLong()).isEqualTo(2);
        assertThat(ok(operator.post("/access/v1/cross-tenant/overview", body("tenantIds", List.of(a),
                "includeMetrics", false))).get("crossTenantAccess")).isEmpty();
    }

    @Test
    void theComparisonFindsCommonUniqueAndDifferingPolicies() {
        twoTenants();
        JsonNode comparison = ok(operator.post("/access/v1/cross-tenant/compare", body("tenantIds", List.of(a, b),
                "comparisonType", "policies"))).get("comparison");
        assertThat(comparison.get("commonPolicies").toString()).isEqualTo("[\"readers\"]");
        assertThat(comparison.get("uniquePolicies").get(a).toString()).isEqualTo("[\"shared\"]");
        assertThat(comparison.get("uniquePolicies").get(b).toString()).isEqualTo("[\"b-only\"]");
        assertThat(comparison.get("differences")).hasSize(1);
        JsonNode readers = comparison.get("differences").get(0);
        assertThat(readers.get("policyName").asString()).isEqualTo("readers");
        assertThat(readers.get("tenantDiffs").get(a).get("actions").toString()).isEqualTo("[\"read\"]");
        assertThat(readers.get("tenantDiffs").get(b).get("actions").toString()).isEqualTo("[\"list\",\"read\"]");

        JsonNode roles = ok(operator.post("/access/v1/cross-tenant/compare", body("tenantIds", List.of(a, b),
                "comparisonType", "roles"))).get("comparison");
        assertThat(roles.get("commonPolicies").toString()).isEqualTo("[\"staff\"]");
        assertThat(roles.get("differences").get(0).get("policyName").asString()).isEqualTo("staff");
        JsonNode buckets = ok(operator.post("/access/v1/cross-tenant/compare", body("tenantIds", List.of(a, b),
                "resourceTypes", List.of("bucket")))).get("comparison");
        assertThat(buckets.get("commonPolicies")).isEmpty();
        assertThat(buckets.get("uniquePolicies").get(b).toString()).isEqualTo("[\"b-only\"]");
        assertFieldRefused(operator.post("/access/v1/cross-tenant/compare", body("tenantIds", List.of(a))),
                "tenantIds");
        assertFieldRefused(operator.post("/access/v1/cross-tenant/compare", body("tenantIds", List.of(a, b),
                "comparisonType", "colours")), "comparisonType");
    }

    @Test
    void anomaliesComeFromTheDecisionLogAndThePolicyHistory() {
        twoTenants();
        String alice = "alice-" + UUID.randomUUID();
        for (int i = 0; i < 6; i++) {
            assertThat(inA.decision("user:" + alice, "document:secret-" + i, "delete")).isEqualTo("deny");
        }
        String readers = ok(inA.get("/access/v1/policies")).get("policies").get(0).get("policyId").asString();
        ok(inA.put("/access/v1/policies/" + readers, body("name", "readers", "effect", "allow", "principals",
                List.of("*"), "resources", List.of("*"), "actions", List.of("*"))));

        JsonNode anomalies = ok(operator.post("/access/v1/cross-tenant/anomalies", body("tenantIds", List.of(a, b))));
        List<String> found = new ArrayList<>();
        anomalies.get("anomalies").forEach(anomaly -> found.add(anomaly.get("type").asString() + "/"
                + anomaly.get("severity").asString() + "/" + anomaly.get("tenantId").asString()));
        assertThat(found).containsExactlyInAnyOrder("unusual_access/low/" + a, "unusual_access/high/" + a,
                "policy_drift/low/" + a, "privilege_escalation/critical/" + a);
        assertThat(anomalies.get("total").asLong()).isEqualTo(4);
        assertThat(anomalies.toString()).contains("user:" + alice + " was refused 6 of 6")
                .contains("user:" + bob + " of tenant " + b);

        JsonNode high = ok(operator.post("/access/v1/cross-tenant/anomalies", body("tenantIds", List.of(a, b),
                "severity", "high", "anomalyTypes", List.of("privilege_escalation"))));
        assertThat(high.get("total").asLong()).isEqualTo(1);
        String id = high.get("anomalies").get(0).get("anomalyId").asString();
        assertThat(ok(operator.post("/access/v1/cross-tenant/anomalies", body("tenantIds", List.of(a),
                "anomalyTypes", List.of("privilege_escalation")))).get("anomalies").get(0).get("anomalyId").asString())
                .isEqualTo(id);
        assertThat(ok(operator.post("/access/v1/cross-tenant/anomalies", body("tenantIds", List.of(a, b),
                "since", "2999-01-01T00:00:00Z"))).get("total").asLong()).isZero();
        assertFieldRefused(operator.post("/access/v1/cross-tenant/anomalies", body("severity", "urgent")), "severity");
        assertFieldRefused(operator.post("/access/v1/cross-tenant/anomalies", body("anomalyTypes",
                List.of("weird"))), "anomalyTypes[0]");
    }

    @Test
    void theGraphLinksPrincipalsToTheirTenantsAndTheResourcesTheyReached() {
        twoTenants();
        JsonNode graph = ok(operator.get("/access/v1/cross-tenant/graph?tenantIds=" + a + "," + b));
        List<String> nodes = new ArrayList<>();
        graph.get("nodes").forEach(node -> nodes.add(node.get("type").asString() + " " + node.get("id").asString()));
        assertThat(nodes).contains("tenant tenant:" + a, "tenant tenant:" + b, "user user:" + bob,
                "resource resource:" + a + "/document:a1");
        List<String> edges = new ArrayList<>();
        graph.get("edges").forEach(edge -> edges.add(edge.get("type").asString() + " " + edge.get("source").asString()
                + " -> " + edge.get("target").asString() + " " + edge.get("weight").asLong()));
        assertThat(edges).contains("access user:" + bob + " -> resource:" + a + "/document:a1 2",
                "membership user:" + bob + " -> tenant:" + a + " 2", "membership user:" + bob + " -> tenant:" + b + " 1");
        graph.get("nodes").forEach(node -> {
            if (node.get("id").asString().equals("user:" + bob)) {
                assertThat(node.get("metadata").get("homeTenant").asString()).isEqualTo(b);
            }
        });
        assertFieldRefused(operator.get("/access/v1/cross-tenant/graph?limit=0"), "limit");
    }

    @Test
    void theIsolationAuditRunsRealChecksOverTheStore() {
        twoTenants();
        JsonNode audit = ok(operator.get("/access/v1/cross-tenant/isolation-audit?tenantIds=" + a + "," + b));
        assertThat(audit.get("status").asString()).isEqualTo("failed");
        Map<String, String> checks = new java.util.TreeMap<>();
        audit.get("checks").forEach(check -> checks.put(check.get("checkName").asString(),
                check.get("status").asString()));
        assertThat(checks).containsEntry("policies_name_own_principals", "failed")
                .containsEntry("no_cross_tenant_allows", "failed")
                .containsEntry("policies_name_own_resources", "passed")
                .containsEntry("jit_grants_match_their_requests", "passed")
                .containsEntry("jit_requests_approved_by_others", "passed")
                .containsEntry("no_policy_allows_everything", "passed");
        assertThat(audit.get("violations").toString()).contains("user:" + bob + ", a principal of tenant " + b);
        String auditId = audit.get("auditId").asString();
        assertThat(jdbc.queryForObject("SELECT status FROM access_isolation_audit WHERE audit_id = ?::uuid",
                String.class, auditId)).isEqualTo("failed");

        String c = "tenant-c-" + UUID.randomUUID();
        AccessApi inC = AccessApi.of(port, c, "admin-c", AccessApi.ALL_SCOPES);
        inC.createPolicy("readers", "allow", List.of("group:staff"), List.of("document:*"), List.of("read"));
        ok(inC.post("/access/v1/check", query("user:dora-" + c, "document:c1", "read", Map.of(), Map.of())));
        assertThat(ok(operator.get("/access/v1/cross-tenant/isolation-audit?tenantIds=" + c)).get("status")
                .asString()).isEqualTo("passed");
        inC.createPolicy("everything", "allow", List.of("*"), List.of("*"), List.of("*"));
        JsonNode warning = ok(operator.get("/access/v1/cross-tenant/isolation-audit?tenantIds=" + c));
        assertThat(warning.get("status").asString()).isEqualTo("warning");
        assertThat(warning.get("violations").get(0).get("type").asString()).isEqualTo("allow_all_policy");
    }

    @Test
    void onlyThePlatformOperatorSeesAnyOfIt() {
        twoTenants();
        AccessApi platformReader = AccessApi.withRoles(port, "platform", "reader",
                new String[]{AccessScopes.PLATFORM_ADMIN}, AccessApi.ALL_SCOPES);
        for (AccessApi caller : List.of(inA, platformReader)) {
            List<ResponseEntity<JsonNode>> refused = List.of(
                    caller.post("/access/v1/cross-tenant/overview", body("tenantIds", List.of(a, b))),
                    caller.post("/access/v1/cross-tenant/compare", body("tenantIds", List.of(a, b))),
                    caller.post("/access/v1/cross-tenant/anomalies", body("tenantIds", List.of(a, b))),
                    caller.get("/access/v1/cross-tenant/graph"),
                    caller.get("/access/v1/cross-tenant/isolation-audit"));
            for (ResponseEntity<JsonNode> response : refused) {
                assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(403);
                assertThat(response.getBody().toString()).doesNotContain(b).doesNotContain(bob);
            }
        }
        assertForbidden(inA.get("/access/v1/cross-tenant/graph"), "platform_admin");
    }
}
