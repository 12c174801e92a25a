package io.qnsp.kms.agility;

import com.fasterxml.jackson.annotation.JsonValue;

/** How exposed an algorithm is to a cryptographically relevant quantum computer, lowest first. */
public enum QuantumRisk {
    LOW("low"), MEDIUM("medium"), HIGH("high"), CRITICAL("critical");

    private final String apiName;

    QuantumRisk(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    QuantumRisk max(QuantumRisk other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
