package io.qnsp.observability;

import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.token.TestTokens;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.util.Map;
import java.util.UUID;

/** Calls a running observability-service over real HTTP as one caller; never throws on an error status. */
public final class ObservabilityApi extends ServiceApi {

    private ObservabilityApi(int port, String token) {
        super(client(port, token));
    }

    /** A member of the tenant with observability:read and observability:write. */
    public static ObservabilityApi tenant(int port, String tenant) {
        return member(port, tenant, "operator-" + tenant);
    }

    /** A named member of the tenant with observability:read and observability:write. */
    public static ObservabilityApi member(int port, String tenant, String subject) {
        return new ObservabilityApi(port, TestTokens.forTenant(tenant).subject(subject)
                .scopes(ObservabilityScopes.READ, ObservabilityScopes.WRITE).mint());
    }

    public static ObservabilityApi withScopes(int port, String tenant, String... scopes) {
        return new ObservabilityApi(port, TestTokens.forTenant(tenant).subject("user-" + tenant).scopes(scopes)
                .mint());
    }

    public static ObservabilityApi anonymous(int port) {
        return new ObservabilityApi(port, null);
    }

    public static String newTenant() {
        return "tenant-" + UUID.randomUUID();
    }

    public ResponseEntity<JsonNode> createRule(Map<String, Object> rule) {
        return post("/observability/v1/anomaly-detection/rules", rule);
    }

    public ResponseEntity<JsonNode> anomalies() {
        return get("/observability/v1/anomaly-detection/anomalies");
    }

    public ResponseEntity<JsonNode> createDashboard(Map<String, Object> dashboard) {
        return post("/observability/v1/dashboards", dashboard);
    }

    public ResponseEntity<JsonNode> dashboards() {
        return get("/observability/v1/dashboards");
    }

    public ResponseEntity<JsonNode> recordAllocation(Map<String, Object> allocation) {
        return post("/observability/v1/costs/allocations", allocation);
    }

    public ResponseEntity<JsonNode> allocations(String query) {
        return get("/observability/v1/costs/allocations" + query);
    }

    public ResponseEntity<JsonNode> createBudget(Map<String, Object> budget) {
        return post("/observability/v1/costs/budgets", budget);
    }

    public ResponseEntity<JsonNode> costSummary() {
        return get("/observability/v1/costs/summary");
    }
}
