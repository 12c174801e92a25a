package io.qnsp.billing;

/** The OAuth2 scopes and the role of the billing API; a caller with the admin role holds every scope. */
public final class BillingScopes {

    /** Read the tenant's own invoices, credits, payments, forecasts and revenue. */
    public static final String READ = "billing:read";
    /** Set the tenant's own payment method, retry its failed payments and redeem promotion codes. */
    public static final String WRITE = "billing:write";

    /**
     * The platform operator: sees every tenant, and alone grants credits, defines promotion codes, assigns plans and
     * configures dunning schedules.
     */
    public static final String PLATFORM_ADMIN = "platform_admin";

    private BillingScopes() {
    }
}
