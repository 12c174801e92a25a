package io.qnsp.tenant;

/** The OAuth2 scopes of the tenant API; a caller with the admin role holds every scope. */
public final class TenantScopes {

    /** Read the tenant's health, quotas, onboarding workflows and isolation status. */
    public static final String READ = "tenant:read";
    /** Record health snapshots, forecast quotas, run onboarding workflows and isolation audits. */
    public static final String WRITE = "tenant:write";

    private TenantScopes() {
    }
}
