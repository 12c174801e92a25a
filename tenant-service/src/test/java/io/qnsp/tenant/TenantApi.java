package io.qnsp.tenant;

import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.token.TestTokens;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.util.Map;
import java.util.UUID;

/** Calls a running tenant-service over real HTTP as one caller; never throws on an error status. */
public final class TenantApi extends ServiceApi {

    private final String token;

    private TenantApi(int port, String token) {
        super(client(port, token));
        this.token = token;
    }

    /** A member of the tenant with tenant:read and tenant:write, on the default plan. */
    public static TenantApi tenant(int port, String tenant) {
        return new TenantApi(port, TestTokens.forTenant(tenant).subject("operator-" + tenant)
                .scopes(TenantScopes.READ, TenantScopes.WRITE).mint());
    }

    /** A member of the tenant with tenant:read and tenant:write, on the plan. */
    public static TenantApi onPlan(int port, String tenant, String plan) {
        return new TenantApi(port, TestTokens.forTenant(tenant).subject("operator-" + tenant).plan(plan)
                .scopes(TenantScopes.READ, TenantScopes.WRITE).mint());
    }

    public static TenantApi withScopes(int port, String tenant, String... scopes) {
        return new TenantApi(port, TestTokens.forTenant(tenant).subject("user-" + tenant).scopes(scopes).mint());
    }

    public static TenantApi withToken(int port, String token) {
        return new TenantApi(port, token);
    }

    public static TenantApi anonymous(int port) {
        return new TenantApi(port, null);
    }

    public static String newTenant() {
        return "tenant-" + UUID.randomUUID();
    }

    public String token() {
        return token;
    }

    public ResponseEntity<JsonNode> recordSnapshot(Map<String, Object> metrics) {
        return post("/tenant/v1/health/snapshots", Map.of("metrics", metrics));
    }

    public ResponseEntity<JsonNode> currentHealth() {
        return get("/tenant/v1/health/current");
    }

    public ResponseEntity<JsonNode> trends(String period) {
        return get("/tenant/v1/health/trends" + (period == null ? "" : "?period=" + period));
    }

    public ResponseEntity<JsonNode> currentQuotas() {
        return get("/tenant/v1/quotas/current");
    }

    public ResponseEntity<JsonNode> forecast(Map<String, Object> request) {
        return post("/tenant/v1/quotas/forecast", request);
    }

    public ResponseEntity<JsonNode> createWorkflow(Map<String, Object> request) {
        return post("/tenant/v1/onboarding/workflows", request);
    }

    public ResponseEntity<JsonNode> workflow(String workflowId) {
        return get("/tenant/v1/onboarding/workflows/" + workflowId);
    }

    public ResponseEntity<JsonNode> act(String workflowId, String action) {
        return post("/tenant/v1/onboarding/workflows/" + workflowId + "/action", Map.of("action", action));
    }

    public ResponseEntity<JsonNode> createAudit(Map<String, Object> request) {
        return post("/tenant/v1/isolation/audits", request);
    }

    public ResponseEntity<JsonNode> audit(String auditId) {
        return get("/tenant/v1/isolation/audits/" + auditId);
    }

    public ResponseEntity<JsonNode> isolationStatus() {
        return get("/tenant/v1/isolation/current-status");
    }
}
