package io.qnsp.auth.risk;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a risk policy demands when it applies to a login attempt. */
public enum HighRiskAction {

    CHALLENGE("challenge", Recommendation.CHALLENGE),
    DENY("deny", Recommendation.DENY);

    private final String value;
    private final Recommendation recommendation;

    HighRiskAction(String value, Recommendation recommendation) {
        this.value = value;
        this.recommendation = recommendation;
    }

    @JsonValue
    public String value() {
        return value;
    }

    Recommendation recommendation() {
        return recommendation;
    }

    static HighRiskAction fromValue(String value) {
        for (HighRiskAction action : values()) {
            if (action.value.equals(value)) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown action " + value);
    }
}
