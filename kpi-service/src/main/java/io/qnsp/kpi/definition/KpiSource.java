package io.qnsp.kpi.definition;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Who defines a KPI and feeds its series. */
public enum KpiSource {
    /** defined by the tenant, fed through the ingest API */
    TENANT,
    /** defined by the platform, fed from its own event streams for every tenant */
    PLATFORM;

    @JsonValue
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
