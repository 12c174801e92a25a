package io.qnsp.vault.leak;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a scan is: waiting for a worker, being run by one instance, or done. */
public enum ScanStatus {
    QUEUED("queued"), RUNNING("running"), COMPLETED("completed"), FAILED("failed");

    private final String apiName;

    ScanStatus(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    static ScanStatus fromApiName(String name) {
        for (ScanStatus status : values()) {
            if (status.apiName.equals(name)) {
                return status;
            }
        }
        throw new IllegalArgumentException("no scan status " + name);
    }
}
