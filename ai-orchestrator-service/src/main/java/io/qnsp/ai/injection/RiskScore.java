package io.qnsp.ai.injection;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.Map;

/**
 * The risk score of an analysis and the recommendation drawn from it.
 *
 * <p>Each detection weighs by its severity (low 10, medium 25, high 45, critical 70, read as the percent chance
 * that the detection is a real attack), and detections combine like independent chances:
 * {@code score = round(100 * (1 - prod(1 - weight / 100)))}, so no detection is 0, one high is 45, two highs are 70
 * and the score never passes 100. A score from 60 recommends {@code block}, from 25 {@code sanitize}, below that
 * {@code allow}; the prompt is {@code safe} when the recommendation is {@code allow}.
 */
public final class RiskScore {

    public static final Map<String, Integer> WEIGHTS = Map.of("low", 10, "medium", 25, "high", 45, "critical", 70);
    public static final int BLOCK_FROM = 60;
    public static final int SANITIZE_FROM = 25;

    private RiskScore() {
    }

    public static int of(Collection<Detection> detections) {
        // exact decimal arithmetic, so 50.5 rounds up to 51 as the formula says
        BigDecimal clean = BigDecimal.ONE;
        for (Detection detection : detections) {
            clean = clean.multiply(BigDecimal.valueOf(100 - WEIGHTS.get(detection.severity()), 2));
        }
        return BigDecimal.ONE.subtract(clean).movePointRight(2).setScale(0, RoundingMode.HALF_UP).intValueExact();
    }

    public static String recommendation(int score) {
        if (score >= BLOCK_FROM) {
            return "block";
        }
        return score >= SANITIZE_FROM ? "sanitize" : "allow";
    }
}
