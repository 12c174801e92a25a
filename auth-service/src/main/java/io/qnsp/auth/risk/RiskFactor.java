package io.qnsp.auth.risk;

/**
 * One reason a login attempt is risky and the points it adds to the score.
 *
 * @param name   a stable machine name, e.g. {@code impossible_travel}
 * @param score  the points this factor contributes (the risk score is their sum, at most 100)
 * @param reason what was observed, for people
 */
public record RiskFactor(String name, int score, String reason) {
}
