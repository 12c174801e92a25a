package io.qnsp.auth.risk;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How serious a threat signal is, with the risk points a signal of that severity adds when it is fresh (halving
 * with every {@code qnsp.auth.risk.signal-half-life} of age).
 */
public enum Severity {

    LOW("low", 5),
    MEDIUM("medium", 15),
    HIGH("high", 35),
    CRITICAL("critical", 60);

    private final String value;
    private final int points;

    Severity(String value, int points) {
        this.value = value;
        this.points = points;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** Risk points of a signal of this severity reported just now. */
    public int points() {
        return points;
    }

    static Severity fromValue(String value) {
        for (Severity severity : values()) {
            if (severity.value.equals(value)) {
                return severity;
            }
        }
        throw new IllegalArgumentException("unknown severity " + value);
    }
}
