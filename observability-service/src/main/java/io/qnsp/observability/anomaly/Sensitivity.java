package io.qnsp.observability.anomaly;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How readily a rule reports: the robust z-score a deviation must reach and the change a trend must show when the
 * rule's parameters name none. 3.5 is the usual cut-off for robust z-scores (Iglewicz and Hoaglin).
 */
enum Sensitivity {

    LOW("low", 5.0, 100),
    MEDIUM("medium", 3.5, 50),
    HIGH("high", 3.0, 25);

    static final List<String> NAMES = Arrays.stream(values()).map(s -> s.label).toList();

    final String label;
    final double zScore;
    final double changePercent;

    Sensitivity(String label, double zScore, double changePercent) {
        this.label = label;
        this.zScore = zScore;
        this.changePercent = changePercent;
    }

    static Optional<Sensitivity> named(String label) {
        return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst();
    }
}
