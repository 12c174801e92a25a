package io.qnsp.auth.federation;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a federation audit report summarizes. */
public enum ReportType {
    /** provider coverage, MFA challenges against logins, logging gaps */
    COMPLIANCE("compliance"),
    /** counts per provider, event type and day */
    ACTIVITY("activity"),
    /** failures, failure rates and users failing repeatedly */
    SECURITY("security");

    private final String value;

    ReportType(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    static ReportType of(String value) {
        for (ReportType type : values()) {
            if (type.value.equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown report type " + value);
    }
}
