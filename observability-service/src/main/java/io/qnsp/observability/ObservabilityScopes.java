package io.qnsp.observability;

/** The OAuth2 scopes of the observability API; a caller with the admin role holds every scope. */
public final class ObservabilityScopes {

    /** Read cost allocations and the cost summary, detected anomalies and dashboards. */
    public static final String READ = "observability:read";
    /** Record cost allocations, create budgets, anomaly-detection rules and dashboards. */
    public static final String WRITE = "observability:write";

    private ObservabilityScopes() {
    }
}
