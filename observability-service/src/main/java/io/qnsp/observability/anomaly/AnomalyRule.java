package io.qnsp.observability.anomaly;

import io.qnsp.observability.metrics.Metric;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What a tenant asked to be told about: a metric of its own traffic, the condition that makes a minute unusual. */
public record AnomalyRule(UUID ruleId, String tenantId, String name, Metric metric, Condition condition,
                   Sensitivity sensitivity, List<String> notificationChannels, String createdBy, Instant createdAt) {

    /** How many minutes before the judged one the rule looks at. */
    int lookbackMinutes(int defaultBaselineMinutes) {
        return switch (condition.type()) {
            case "deviation" -> condition.baselineMinutes() != null ? condition.baselineMinutes()
                    : defaultBaselineMinutes;
            case "trend" -> 2 * windowMinutes() - 1;
            default -> 0;
        };
    }

    /** {@code low}, {@code medium} or {@code high}. */
    public String sensitivityLevel() {
        return sensitivity.label;
    }

    int windowMinutes() {
        return condition.windowMinutes() != null ? condition.windowMinutes() : RuleEvaluation.DEFAULT_TREND_WINDOW;
    }
}
