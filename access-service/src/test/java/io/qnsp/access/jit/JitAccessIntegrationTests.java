package io.qnsp.access.jit;

import io.qnsp.access.AccessApi;
import io.qnsp.access.AccessIntegrationTest;
import io.qnsp.access.AccessScopes;
import io.qnsp.test.time.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.access.AccessApi.body;
import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertForbidden;
import static io.qnsp.test.http.ApiAssertions.assertNotFound;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * JIT access over real HTTP with the service's clock in the test's hands: policies, requests approved at once or by
 * an approver, grants taking part in checks until exactly their expiry, revocation, statistics, tenancy and roles.
 */
@AccessIntegrationTest
class JitAccessIntegrationTests {

    static final Instant T0 = Instant.parse("2030-03-04T10:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    TestClock clock;

    String tenant;
    AccessApi admin;
    AccessApi alice;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        admin = AccessApi.withRoles(port, tenant, "admin-1", new String[]{"admin"}, AccessApi.ALL_SCOPES);
        alice = AccessApi.of(port, tenant, "alice", AccessScopes.REQUEST, AccessScopes.READ);
        clock.pin(T0);
    }

    @AfterEach
    void releaseClock() {
        clock.release();
    }

    private String jitPolicy(Map<String, Object> fields) {
        Map<String, Object> body = body("name", "jit-" + UUID.randomUUID(), "resourceTypes", List.of("database"),
                "maxDuration", 60, "requireApproval", false, "approverRoles", List.of());
        body.putAll(fields);
        return ok(admin.post("/access/v1/jit/policies", body), 201).get("policyId").asString();
    }

    private JsonNode request(AccessApi who, String resourceId, int minutes, Map<String, Object> extra) {
        Map<String, Object> body = body("resourceType", "database", "resourceId", resourceId,
                "permissions", List.of("read", "write"), "justification", "incident INC-42", "duration", minutes,
                "ticketReference", "INC-42");
        body.putAll(extra);
        return ok(who.post("/access/v1/jit/requests", body), 201);
    }

    private String check(String principal, String resource, String action) {
        return ok(admin.post("/access/v1/check", AccessApi.query(principal, resource, action, Map.of(), Map.of())))
                .get("decision").asString();
    }

    @Test
    void aGrantAllowsUntilExactlyItsExpiryAndNotOneSecondAfter() {
        jitPolicy(Map.of());
        assertThat(check("user:alice", "database:orders", "read")).isEqualTo("deny");

        JsonNode filed = request(alice, "orders", 10, Map.of());
        assertThat(filed.get("status").asString()).isEqualTo("approved");
        assertThat(filed.get("approvers")).isEmpty();
        Instant expiry = T0.plus(Duration.ofMinutes(10));
        assertThat(Instant.parse(filed.get("expiresAt").asString())).isEqualTo(expiry);
        String grantId = filed.get("grantId").asString();

        JsonNode allowed = ok(admin.post("/access/v1/check", AccessApi.query("user:alice", "database:orders",
                "write", Map.of(), Map.of())));
        assertThat(allowed.get("decision").asString()).isEqualTo("allow");
        assertThat(allowed.get("effectivePolicies").get(0).asString()).isEqualTo(grantId);
        assertThat(allowed.get("reasons").get(0).get("matchedConditions").get(0).asString()).contains(expiry.toString());
        assertThat(check("user:alice", "database:orders", "drop")).isEqualTo("deny");
        assertThat(check("user:alice", "database:billing", "read")).isEqualTo("deny");
        assertThat(check("user:bob", "database:orders", "read")).isEqualTo("deny");

        clock.pin(expiry.minusSeconds(1));
        assertThat(check("user:alice", "database:orders", "read")).isEqualTo("allow");
        JsonNode jit = ok(admin.post("/access/v1/jit/check", body("principalId", "alice", "resourceType", "database",
                "resourceId", "orders", "permission", "read")));
        assertThat(jit.get("hasAccess").asBoolean()).isTrue();
        assertThat(jit.get("grantId").asString()).isEqualTo(grantId);
        assertThat(ok(admin.get("/access/v1/jit/grants/user/alice")).get("grants")).hasSize(1);

        clock.pin(expiry);
        assertThat(check("user:alice", "database:orders", "read")).isEqualTo("deny");
        jit = ok(admin.post("/access/v1/jit/check", body("principalId", "alice", "resourceType", "database",
                "resourceId", "orders", "permission", "read")));
        assertThat(jit.get("hasAccess").asBoolean()).isFalse();
        assertThat(jit.get("grantId").isNull()).isTrue();
        assertThat(ok(admin.get("/access/v1/jit/grants/user/alice")).get("grants")).isEmpty();
        // an explicit deny still wins over a grant
        clock.pin(T0);
        admin.createPolicy("freeze", "deny", List.of("user:alice"), List.of("database:*"), List.of("*"));
        assertThat(check("user:alice", "database:orders", "read")).isEqualTo("deny");
    }

    @Test
    void aRequestNeedingApprovalWaitsForAnApproverWhoIsNotTheRequesterAndHoldsTheRole() {
        jitPolicy(Map.of("requireApproval", true, "approverRoles", List.of("security-lead"), "maxDuration", 120));
        JsonNode filed = request(alice, "orders", 60, Map.of());
        assertThat(filed.get("status").asString()).isEqualTo("pending");
        assertThat(filed.get("expiresAt").isNull()).isTrue();
        assertThat(filed.get("approvers").get(0).asString()).isEqualTo("security-lead");
        String requestId = filed.get("requestId").asString();
        assertThat(check("user:alice", "database:orders", "read")).isEqualTo("deny");

        AccessApi aliceAsLead = AccessApi.withRoles(port, tenant, "alice", new String[]{"security-lead"},
                AccessScopes.APPROVE);
        AccessApi bob = AccessApi.of(port, tenant, "bob", AccessScopes.APPROVE);
        AccessApi carol = AccessApi.withRoles(port, tenant, "carol", new String[]{"security-lead"},
                AccessScopes.APPROVE);
        assertForbidden(aliceAsLead.post("/access/v1/jit/requests/" + requestId + "/process",
                body("decision", "approve")), "own");
        assertForbidden(bob.post("/access/v1/jit/requests/" + requestId + "/process", body("decision", "approve")),
                "security-lead");
        assertForbidden(alice.post("/access/v1/jit/requests/" + requestId + "/process", body("decision", "approve")),
                AccessScopes.APPROVE);
        assertFieldRefused(carol.post("/access/v1/jit/requests/" + requestId + "/process",
                body("decision", "approve", "modifiedDuration", 121)), "modifiedDuration");
        assertFieldRefused(carol.post("/access/v1/jit/requests/" + requestId + "/process",
                body("decision", "maybe")), "decision");

        clock.pin(T0.plusSeconds(90));
        JsonNode processed = ok(carol.post("/access/v1/jit/requests/" + requestId + "/process",
                body("decision", "approve", "reason", "on call", "modifiedDuration", 30)));
        assertThat(processed.get("status").asString()).isEqualTo("approved");
        assertThat(processed.get("processedBy").asString()).isEqualTo("carol");
        assertThat(Instant.parse(processed.get("processedAt").asString())).isEqualTo(T0.plusSeconds(90));
        assertThat(Instant.parse(processed.get("expiresAt").asString()))
                .isEqualTo(T0.plusSeconds(90).plus(Duration.ofMinutes(30)));
        assertThat(check("user:alice", "database:orders", "read")).isEqualTo("allow");
        assertStatus(carol.post("/access/v1/jit/requests/" + requestId + "/process", body("decision", "deny")), 409);

        String second = request(alice, "billing", 5, Map.of()).get("requestId").asString();
        JsonNode denied = ok(carol.post("/access/v1/jit/requests/" + second + "/process",
                body("decision", "deny", "reason", "not needed")));
        assertThat(denied.get("status").asString()).isEqualTo("denied");
        assertThat(denied.get("grantId").isNull()).isTrue();
        assertThat(check("user:alice", "database:billing", "read")).isEqualTo("deny");

        JsonNode pendingOnly = ok(admin.get("/access/v1/jit/requests?status=denied"));
        assertThat(pendingOnly.get("total").asLong()).isEqualTo(1);
        assertThat(pendingOnly.get("requests").get(0).get("requestId").asString()).isEqualTo(second);
        assertThat(ok(admin.get("/access/v1/jit/requests?requesterId=alice")).get("total").asLong()).isEqualTo(2);
        assertThat(ok(admin.get("/access/v1/jit/requests?requesterId=bob")).get("total").asLong()).isZero();
        assertFieldRefused(admin.get("/access/v1/jit/requests?status=expired"), "status");
    }

    @Test
    void autoApprovalNeedsTheTimeWindowAndAKnownRiskScoreWithinTheMaximum() {
        jitPolicy(Map.of("requireApproval", true, "approverRoles", List.of("security-lead"),
                "autoApproveConditions", body("timeWindow", body("start", "09:00", "end", "17:00"),
                        "maxRiskScore", 30)));
        assertThat(request(alice, "a", 5, Map.of("riskScore", 20)).get("status").asString()).isEqualTo("approved");
        assertThat(request(alice, "b", 5, Map.of("riskScore", 31)).get("status").asString()).isEqualTo("pending");
        assertThat(request(alice, "c", 5, Map.of()).get("status").asString()).isEqualTo("pending");
        clock.pin(Instant.parse("2030-03-04T17:00:00Z"));
        assertThat(request(alice, "d", 5, Map.of("riskScore", 1)).get("status").asString()).isEqualTo("pending");
        assertFieldRefused(alice.post("/access/v1/jit/requests", body("resourceType", "database", "resourceId", "x",
                "permissions", List.of("read"), "justification", "j", "duration", 5, "riskScore", 101)), "riskScore");
    }

    @Test
    void aRevokedGrantStopsAllowingAtOnce() {
        jitPolicy(Map.of());
        String grantId = request(alice, "orders", 30, Map.of()).get("grantId").asString();
        assertThat(check("user:alice", "database:orders", "read")).isEqualTo("allow");

        AccessApi lead = AccessApi.of(port, tenant, "lead", AccessScopes.APPROVE);
        JsonNode revoked = ok(lead.post("/access/v1/jit/grants/" + grantId + "/revoke", body("reason", "done")));
        assertThat(revoked.get("revokedBy").asString()).isEqualTo("lead");
        assertThat(Instant.parse(revoked.get("revokedAt").asString())).isEqualTo(T0);
        assertThat(check("user:alice", "database:orders", "read")).isEqualTo("deny");
        assertStatus(lead.post("/access/v1/jit/grants/" + grantId + "/revoke", body("reason", "again")), 409);
        assertForbidden(alice.post("/access/v1/jit/grants/" + grantId + "/revoke", body()), AccessScopes.APPROVE);
    }

    @Test
    void requestsAndPoliciesNameEachBrokenField() {
        assertFieldRefused(alice.post("/access/v1/jit/requests", body("resourceType", "database", "resourceId", "x",
                "permissions", List.of("read"), "justification", "j", "duration", 5)), "resourceType");
        jitPolicy(Map.of("maxDuration", 15));
        assertFieldRefused(alice.post("/access/v1/jit/requests", body("resourceType", "database", "resourceId", "x",
                "permissions", List.of("read"), "justification", "j", "duration", 16)), "duration");
        assertFieldRefused(alice.post("/access/v1/jit/requests", body("resourceType", "database", "resourceId", "x",
                "permissions", List.of(), "justification", "j", "duration", 5)), "permissions");
        assertFieldRefused(alice.post("/access/v1/jit/requests", body("resourceType", "database", "resourceId", "x",
                "permissions", List.of("read"), "duration", 5)), "justification");
        assertFieldRefused(admin.post("/access/v1/jit/policies", body("name", "p", "resourceTypes", List.of("db"),
                "maxDuration", 0, "requireApproval", true)), "maxDuration");
        assertFieldRefused(admin.post("/access/v1/jit/policies", body("name", "p", "resourceTypes", List.of("db"),
                "maxDuration", 5, "requireApproval", true, "autoApproveConditions",
                body("timeWindow", body("start", "9am", "end", "17:00")))), "autoApproveConditions.timeWindow.start");
        assertFieldRefused(admin.post("/access/v1/jit/policies", body("name", "p", "maxDuration", 5,
                "requireApproval", true)), "resourceTypes");
        JsonNode clash = ok(admin.post("/access/v1/jit/policies", body("name", "other", "resourceTypes",
                List.of("queue", "database"), "maxDuration", 5, "requireApproval", false)), 409);
        assertThat(clash.get("details").get("field").asString()).isEqualTo("resourceTypes");
        assertForbidden(alice.post("/access/v1/jit/policies", body("name", "p", "resourceTypes", List.of("db"),
                "maxDuration", 5, "requireApproval", true)), AccessScopes.WRITE);
        JsonNode listed = ok(admin.get("/access/v1/jit/policies")).get("policies");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("resourceTypes").get(0).asString()).isEqualTo("database");
        assertThat(listed.get(0).get("maxDuration").asInt()).isEqualTo(15);
    }

    @Test
    void theStatisticsAreComputedFromTheStore() {
        jitPolicy(Map.of("requireApproval", true, "approverRoles", List.of("lead"),
                "resourceTypes", List.of("database", "bucket")));
        AccessApi lead = AccessApi.withRoles(port, tenant, "lead", new String[]{"lead"}, AccessScopes.APPROVE);
        String r1 = request(alice, "orders", 10, Map.of()).get("requestId").asString();
        String r2 = request(alice, "billing", 10, Map.of()).get("requestId").asString();
        request(alice, "users", 10, Map.of());
        ok(alice.post("/access/v1/jit/requests", body("resourceType", "bucket", "resourceId", "b",
                "permissions", List.of("list"), "justification", "j", "duration", 5)), 201);
        clock.pin(T0.plusSeconds(120));
        ok(lead.post("/access/v1/jit/requests/" + r1 + "/process", body("decision", "approve")));
        clock.pin(T0.plusSeconds(240));
        ok(lead.post("/access/v1/jit/requests/" + r2 + "/process", body("decision", "approve")));
        String r2Grant = ok(admin.get("/access/v1/jit/grants/user/alice")).get("grants").get(0).get("grantId")
                .asString();
        ok(lead.post("/access/v1/jit/grants/" + r2Grant + "/revoke", body()));

        JsonNode stats = ok(admin.get("/access/v1/jit/stats?period=7d"));
        assertThat(stats.get("period").asString()).isEqualTo("7d");
        assertThat(stats.get("totalRequests").asLong()).isEqualTo(4);
        assertThat(stats.get("approvedRequests").asLong()).isEqualTo(2);
        assertThat(stats.get("deniedRequests").asLong()).isZero();
        assertThat(stats.get("pendingRequests").asLong()).isEqualTo(2);
        assertThat(stats.get("averageApprovalTime").asDouble()).isEqualTo(180.0);
        assertThat(stats.get("activeGrants").asLong()).isEqualTo(1);
        assertThat(stats.get("topResources").get(0).get("resourceType").asString()).isEqualTo("database");
        assertThat(stats.get("topResources").get(0).get("count").asLong()).isEqualTo(3);
        assertThat(stats.get("topResources").get(1).get("count").asLong()).isEqualTo(1);
        clock.pin(T0.plus(Duration.ofDays(8)));
        assertThat(ok(admin.get("/access/v1/jit/stats?period=7d")).get("totalRequests").asLong()).isZero();
        assertFieldRefused(admin.get("/access/v1/jit/stats?period=1y"), "period");
    }

    @Test
    void anotherTenantSeesNoneOfItAndFindsNoneOfItsIds() {
        jitPolicy(Map.of("requireApproval", true, "approverRoles", List.of("lead")));
        String requestId = request(alice, "orders", 10, Map.of()).get("requestId").asString();
        jitPolicyApprovedAtOnce();
        String grantId = ok(AccessApi.of(port, tenant, "alice", AccessScopes.REQUEST).post("/access/v1/jit/requests",
                body("resourceType", "queue", "resourceId", "q1", "permissions", List.of("consume"),
                        "justification", "j", "duration", 5)), 201).get("grantId").asString();

        String otherTenant = "tenant-" + UUID.randomUUID();
        AccessApi other = AccessApi.withRoles(port, otherTenant, "admin-2", new String[]{"admin", "lead"},
                AccessApi.ALL_SCOPES);
        assertNotFound(other.post("/access/v1/jit/requests/" + requestId + "/process", body("decision", "approve")));
        assertNotFound(other.post("/access/v1/jit/grants/" + grantId + "/revoke", body()));
        assertNotFound(other.post("/access/v1/jit/grants/not-an-id/revoke", body()));
        assertNotFound(other.post("/access/v1/jit/requests/not-an-id/process", body("decision", "deny")));
        assertThat(ok(other.get("/access/v1/jit/requests")).get("total").asLong()).isZero();
        assertThat(ok(other.get("/access/v1/jit/policies")).get("policies")).isEmpty();
        assertThat(ok(other.get("/access/v1/jit/grants/user/alice")).get("grants")).isEmpty();
        assertThat(ok(other.post("/access/v1/jit/check", body("principalId", "alice", "resourceType", "queue",
                "resourceId", "q1", "permission", "consume"))).get("hasAccess").asBoolean()).isFalse();
        assertThat(ok(other.get("/access/v1/jit/stats")).get("totalRequests").asLong()).isZero();
        assertThat(ok(other.post("/access/v1/check", AccessApi.query("user:alice", "queue:q1", "consume", Map.of(),
                Map.of()))).get("decision").asString()).isEqualTo("deny");
        assertThat(check("user:alice", "queue:q1", "consume")).isEqualTo("allow");
    }

    private void jitPolicyApprovedAtOnce() {
        ok(admin.post("/access/v1/jit/policies", body("name", "queues", "resourceTypes", List.of("queue"),
                "maxDuration", 30, "requireApproval", false)), 201);
    }
}
