package io.qnsp.observability.anomaly;

import java.util.Arrays;
import java.util.List;

/**
 * A baseline summarized robustly: its median and its median absolute deviation (MAD), so that a few outliers in the
 * history (an earlier incident) neither move the expected value nor widen the spread much. The spread is the MAD
 * scaled by 1.4826 (which makes it estimate the standard deviation of normally distributed data). When more than half
 * of the history sits exactly on the median (a mostly error-free history has a MAD of 0), the mean absolute deviation
 * from the median scaled by 1.2533 stands in for it, as in the usual modified z-score. The spread is never less than
 * the metric's resolution: a perfectly flat history would otherwise call any change infinitely unusual.
 */
record RobustBaseline(double median, double mad, double spread) {

    static final double NORMAL_CONSISTENCY = 1.4826;
    static final double MEAN_DEVIATION_CONSISTENCY = 1.2533;

    static RobustBaseline of(List<Double> values, double resolution) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a baseline needs at least one value");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = median(sorted);
        double[] deviations = Arrays.stream(sorted).map(v -> Math.abs(v - median)).sorted().toArray();
        double mad = median(deviations);
        double spread = mad > 0 ? NORMAL_CONSISTENCY * mad
                : MEAN_DEVIATION_CONSISTENCY * Arrays.stream(deviations).average().orElse(0);
        return new RobustBaseline(median, mad, Math.max(spread, resolution));
    }

    /** How many spreads the value lies above (positive) or below (negative) the median. */
    double score(double value) {
        return (value - median) / spread;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
