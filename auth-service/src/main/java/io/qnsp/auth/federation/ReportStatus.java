package io.qnsp.auth.federation;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a report's generation stands: pending until it completed or failed. */
public enum ReportStatus {
    PENDING("pending"),
    COMPLETED("completed"),
    FAILED("failed");

    private final String value;

    ReportStatus(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    static ReportStatus of(String value) {
        for (ReportStatus status : values()) {
            if (status.value.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown report status " + value);
    }
}
