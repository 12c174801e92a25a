package io.qnsp.auth.risk;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The band a risk score falls in: low 0–29, medium 30–59, high 60–79, critical 80–100.
 */
public enum RiskLevel {

    LOW("low", 0),
    MEDIUM("medium", 30),
    HIGH("high", 60),
    CRITICAL("critical", 80);

    private final String value;
    private final int lowestScore;

    RiskLevel(String value, int lowestScore) {
        this.value = value;
        this.lowestScore = lowestScore;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** The smallest score in this band. */
    public int lowestScore() {
        return lowestScore;
    }

    /** The band of a score between 0 and 100. */
    public static RiskLevel of(int score) {
        if (score < 0 || score > 100) {
            throw new IllegalArgumentException("a risk score is between 0 and 100: " + score);
        }
        RiskLevel band = LOW;
        for (RiskLevel level : values()) {
            if (score >= level.lowestScore) {
                band = level;
            }
        }
        return band;
    }

    static RiskLevel fromValue(String value) {
        for (RiskLevel level : values()) {
            if (level.value.equals(value)) {
                return level;
            }
        }
        throw new IllegalArgumentException("unknown risk level " + value);
    }
}
