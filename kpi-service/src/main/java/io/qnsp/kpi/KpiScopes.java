package io.qnsp.kpi;

/** The OAuth2 scopes of the KPI store; a caller with the admin role (or the {@code admin} scope) holds both. */
public final class KpiScopes {

    /** Query KPIs, list them with their contracts, list dimension values. */
    public static final String READ = "kpi:read";
    /** Define KPIs, publish contract versions and ingest samples. */
    public static final String WRITE = "kpi:write";

    private KpiScopes() {
    }
}
