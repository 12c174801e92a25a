package io.qnsp.tenant.isolation;

import io.qnsp.tenant.TenantIntegrationTests;
import io.qnsp.tenant.PlatformStreams;
import io.qnsp.tenant.TenantApi;
import io.qnsp.tenant.TenantScopes;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Isolation audits run real checks (other tenants' rows looked up through this service, the caller's token sent to
 * other tenants' resources, API keys and quota counters shared between tenants) and report them; a broken isolation
 * shows as a breach.
 */
class IsolationIntegrationTests extends TenantIntegrationTests {

    private JsonNode awaitCompleted(TenantApi api, String auditId) {
        return Awaitility.await("audit " + auditId + " completed").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> ok(api.audit(auditId)), audit -> !audit.get("status").asString().equals("running"));
    }

    private static List<JsonNode> checksOf(JsonNode audit, String category) {
        List<JsonNode> checks = new ArrayList<>();
        audit.get("checks").forEach(check -> {
            if (check.get("category").asString().equals(category)) {
                checks.add(check);
            }
        });
        return checks;
    }

    @Test
    void anAuditOfEveryCategoryTestsTheOtherTenantsDataAndReportsIsolated() {
        JsonNode before = ok(alphaApi.isolationStatus());
        assertThat(before.get("overallStatus").asString()).isEqualTo("warning");
        assertThat(before.get("byCategory").get("data").asString()).isEqualTo("not_audited");
        assertThat(before.get("lastAuditAt").isNull()).isTrue();
        ok(betaApi.recordSnapshot(Map.of("storageUsage", 10)), 201);
        String betaAudit = ok(betaApi.createAudit(Map.of("scope", List.of("data"), "depth", "quick")), 201)
                .get("auditId").asString();
        awaitCompleted(betaApi, betaAudit);
        ok(alphaApi.recordSnapshot(Map.of("storageUsage", 20)), 201);

        JsonNode created = ok(alphaApi.createAudit(Map.of("scope", List.of("data", "network", "compute", "identity"),
                "depth", "comprehensive")), 201);
        assertThat(created.get("status").asString()).isEqualTo("running");
        String auditId = created.get("auditId").asString();
        streams.awaitAudit(alpha, "tenant.isolation_audit.created", auditId);

        JsonNode audit = awaitCompleted(alphaApi, auditId);
        assertThat(audit.get("status").asString()).isEqualTo("completed");
        assertThat(audit.get("byCategory").get("data").asString()).isEqualTo("isolated");
        assertThat(audit.get("byCategory").get("network").asString()).isEqualTo("isolated");
        assertThat(audit.get("byCategory").get("compute").asString()).isEqualTo("isolated");
        assertThat(audit.get("byCategory").get("identity").asString()).isEqualTo("isolated");
        assertThat(audit.get("checks").findValuesAsString("outcome")).containsOnly("passed");
        assertThat(checksOf(audit, "data").stream().map(c -> c.get("name").asString()).toList())
                .anyMatch(name -> name.contains("health_snapshot"))
                .anyMatch(name -> name.contains("logged_request"))
                .anyMatch(name -> name.contains("quota_usage_sample"))
                .anyMatch(name -> name.contains("onboarding_workflow"))
                .anyMatch(name -> name.contains("isolation_audit"));
        // beta's snapshot and audit were looked up for alpha, and beta's audit requested with alpha's token
        JsonNode identity = checksOf(audit, "identity").getFirst();
        assertThat(identity.get("tested").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(identity.get("detail").asString()).contains("refused");

        JsonNode status = ok(alphaApi.isolationStatus());
        assertThat(status.get("overallStatus").asString()).isEqualTo("isolated");
        assertThat(status.get("lastAuditAt").asString()).isEqualTo(audit.get("completedAt").asString());
        // beta's status is its own audit's (data only)
        JsonNode betaStatus = ok(betaApi.isolationStatus());
        assertThat(betaStatus.get("byCategory").get("identity").asString()).isEqualTo("not_audited");
        assertThat(betaStatus.get("overallStatus").asString()).isEqualTo("warning");
        // and neither can read the other's audit
        assertStatus(betaApi.audit(auditId), 404);
        assertStatus(alphaApi.audit(betaAudit), 404);
    }

    @Test
    void anApiKeyServingTwoTenantsIsANetworkBreach() {
        Instant now = Instant.now();
        streams.log(List.of(PlatformStreams.request(alpha, now, 200, 10, "key-shared-" + alpha, "10.0.0.1"),
                PlatformStreams.request(beta, now, 200, 10, "key-shared-" + alpha, "10.0.0.2")));
        streams.awaitCounted(alpha, 1);
        streams.awaitCounted(beta, 1);

        String auditId = ok(alphaApi.createAudit(Map.of("scope", List.of("network"))), 201).get("auditId")
                .asString();
        JsonNode audit = awaitCompleted(alphaApi, auditId);
        assertThat(audit.get("depth").asString()).isEqualTo("standard");
        assertThat(audit.get("byCategory").get("network").asString()).isEqualTo("breach");
        assertThat(audit.get("byCategory").get("data").asString()).isEqualTo("not_audited");
        assertThat(checksOf(audit, "network").getFirst().get("detail").asString()).contains("key-shared-" + alpha);

        JsonNode status = ok(alphaApi.isolationStatus());
        assertThat(status.get("overallStatus").asString()).isEqualTo("breach");
        assertThat(status.get("byCategory").get("network").asString()).isEqualTo("breach");
    }

    @Test
    void aCounterOfAnotherTenantInTheTenantsKeySpaceIsAComputeBreach() {
        String window = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM").withZone(java.time.ZoneOffset.UTC)
                .format(Instant.now());
        redis.opsForValue().set(keys.key("quota:" + alpha + ":kms.keys:" + window), "2");
        redis.opsForValue().set(keys.key("quota:" + alpha + ":shadow:kms.keys:" + window), "1");

        String auditId = ok(alphaApi.createAudit(Map.of("scope", List.of("compute"), "depth", "quick")), 201)
                .get("auditId").asString();
        JsonNode audit = awaitCompleted(alphaApi, auditId);
        assertThat(audit.get("byCategory").get("compute").asString()).isEqualTo("breach");
        JsonNode check = checksOf(audit, "compute").getFirst();
        assertThat(check.get("tested").asInt()).isEqualTo(2);
        assertThat(check.get("outcome").asString()).isEqualTo("failed");
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        assertFieldRefused(alphaApi.createAudit(Map.of("scope", List.of("data", "memory"))), "scope[1]");
        assertFieldRefused(alphaApi.createAudit(Map.of("depth", "deep")), "depth");
        assertFieldRefused(alphaApi.postJson("/tenant/v1/isolation/audits", "{\"scope\": \"data\"}"), "scope");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM isolation_audit WHERE tenant_id = ?", Long.class, alpha))
                .isZero();
        assertStatus(TenantApi.anonymous(port).createAudit(Map.of()), 401);
        assertStatus(TenantApi.withScopes(port, alpha, TenantScopes.READ).createAudit(Map.of()), 403);
        assertStatus(TenantApi.withScopes(port, alpha, "kms:read").isolationStatus(), 403);
    }
}
