package io.qnsp.vault.leak.detect;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;

/** How urgent a leak is; the order of the constants is the order of urgency. */
public enum Severity {
    LOW("low"), MEDIUM("medium"), HIGH("high"), CRITICAL("critical");

    private final String apiName;

    Severity(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    /** The severity so named, or {@code null}. */
    public static Severity fromApiName(String name) {
        return Arrays.stream(values()).filter(s -> s.apiName.equals(name)).findFirst().orElse(null);
    }

    public static List<String> apiNames() {
        return Arrays.stream(values()).map(Severity::apiName).toList();
    }

    public Severity atLeast(Severity other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
