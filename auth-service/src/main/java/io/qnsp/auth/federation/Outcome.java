package io.qnsp.auth.federation;

import com.fasterxml.jackson.annotation.JsonValue;

/** How an identity-provider event ended. */
public enum Outcome {
    SUCCESS("success"),
    FAILURE("failure");

    private final String value;

    Outcome(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    static Outcome of(String value) {
        for (Outcome outcome : values()) {
            if (outcome.value.equals(value)) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("unknown outcome " + value);
    }
}
