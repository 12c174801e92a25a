package io.qnsp.observability.anomaly;

import org.jspecify.annotations.Nullable;

/**
 * A rule's verdict on one minute.
 *
 * @param observed    the metric's value in the minute (for a trend: the mean of the recent window)
 * @param expected    what the rule expected (the baseline's median, the limit crossed, the earlier window's mean)
 * @param score       the robust z-score (deviation) or the change in percent (trend); {@code null} for thresholds
 * @param severity    {@code medium}, {@code high} or {@code critical} for an anomaly; {@code none} otherwise
 * @param explanation one sentence saying why
 */
record Judgement(boolean anomalous, double observed, @Nullable Double expected, @Nullable Double score,
                 String severity, String explanation) {

    static Judgement normal(double observed, @Nullable Double expected, @Nullable Double score) {
        return new Judgement(false, observed, expected, score, "none", "within the rule's condition");
    }

    /** Severity by how far past the rule's bar the minute went: twice the bar or more is critical. */
    static String severity(double ratio) {
        return ratio >= 2 ? "critical" : ratio >= 1.5 ? "high" : "medium";
    }
}
