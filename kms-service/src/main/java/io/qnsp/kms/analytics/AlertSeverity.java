package io.qnsp.kms.analytics;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;

/** How urgent an alert rule's alerts are. */
public enum AlertSeverity {
    LOW("low"), MEDIUM("medium"), HIGH("high"), CRITICAL("critical");

    private final String apiName;

    AlertSeverity(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    static AlertSeverity fromApiName(String name) {
        return Arrays.stream(values()).filter(s -> s.apiName.equals(name)).findFirst().orElse(null);
    }

    static List<String> apiNames() {
        return Arrays.stream(values()).map(AlertSeverity::apiName).toList();
    }
}
