package io.qnsp.billing;

import io.qnsp.test.http.ServiceApi;
import io.qnsp.test.token.TestTokens;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Calls a running billing-service over real HTTP as one caller; never throws on an error status. */
public final class BillingApi extends ServiceApi {

    private BillingApi(int port, String token) {
        super(client(port, token));
    }

    /** A member of the tenant with billing:read and billing:write. */
    public static BillingApi tenant(int port, String tenant) {
        return new BillingApi(port, TestTokens.forTenant(tenant).subject("billing-admin-" + tenant)
                .scopes(BillingScopes.READ, BillingScopes.WRITE).mint());
    }

    /** A caller of the tenant holding only the scopes given. */
    public static BillingApi withScopes(int port, String tenant, String... scopes) {
        return new BillingApi(port, TestTokens.forTenant(tenant).subject("user-" + tenant).scopes(scopes).mint());
    }

    /** The platform operator, as auth-service's bootstrap client is: roles admin and platform_admin. */
    public static BillingApi operator(int port) {
        return new BillingApi(port, TestTokens.forTenant("platform").subject("platform-bootstrap")
                .roles("admin", BillingScopes.PLATFORM_ADMIN).scopes("admin").mint());
    }

    /** A tenant's administrator (role admin, every scope) who is no platform operator. */
    public static BillingApi tenantAdmin(int port, String tenant) {
        return new BillingApi(port, TestTokens.forTenant(tenant).subject("tenant-admin-" + tenant).roles("admin")
                .scopes("admin").mint());
    }

    public static BillingApi anonymous(int port) {
        return new BillingApi(port, null);
    }

    public JsonNode setPaymentMethod(String tenant, String method) {
        return expect(put("/billing/v1/accounts/" + tenant, body("paymentMethod", method)), 200);
    }

    public JsonNode setPlan(String tenant, String plan) {
        return expect(put("/billing/v1/accounts/" + tenant, body("plan", plan)), 200);
    }

    public JsonNode grantCredit(String tenant, String amount, String type, String expiresAt) {
        return expect(post("/billing/v1/credits", body("tenantId", tenant, "amount", new BigDecimal(amount),
                "currency", "USD", "type", type, "expiresAt", expiresAt, "reason", "test credit")), 201);
    }

    public JsonNode invoices(String tenant) {
        return expect(get("/billing/v1/invoices/" + tenant), 200);
    }

    public JsonNode configureSchedule(String tenant, List<Map<String, Object>> steps) {
        return expect(post("/billing/v1/dunning/schedule", body("tenantId", tenant, "schedule", steps)), 201);
    }

    public static Map<String, Object> step(int day, String action, String template) {
        return template == null ? body("dayAfterFailure", day, "action", action)
                : body("dayAfterFailure", day, "action", action, "template", template);
    }

    public ResponseEntity<JsonNode> retry(String paymentId) {
        return post("/billing/v1/dunning/retry", body("paymentId", paymentId));
    }
}
