package io.qnsp.auth.risk;

import com.fasterxml.jackson.annotation.JsonValue;

/** What the caller should do with the login attempt, from the most lenient to the strictest. */
public enum Recommendation {

    ALLOW("allow"),
    CHALLENGE("challenge"),
    DENY("deny");

    private final String value;

    Recommendation(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** The stricter of the two. */
    Recommendation strictest(Recommendation other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    static Recommendation fromValue(String value) {
        for (Recommendation recommendation : values()) {
            if (recommendation.value.equals(value)) {
                return recommendation;
            }
        }
        throw new IllegalArgumentException("unknown recommendation " + value);
    }
}
