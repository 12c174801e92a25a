package io.qnsp.observability.anomaly;

import io.qnsp.observability.metrics.Metric;
import io.qnsp.observability.metrics.MinuteAggregate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Judges the last minute of a tenant's history by one rule. Empty when the rule cannot judge it: a rate or latency
 * of a minute with fewer than {@link #MIN_REQUESTS_FOR_RATES} requests (one failed request of one is no 100% error
 * rate worth waking anyone for), or a baseline with fewer minutes of traffic than required.
 */
final class RuleEvaluation {

    static final int MIN_REQUESTS_FOR_RATES = 5;
    static final int DEFAULT_TREND_WINDOW = 15;

    private RuleEvaluation() {
    }

    /**
     * @param minutes the minutes the rule looks back over, oldest first, the judged minute last
     */
    static Optional<Judgement> judge(AnomalyRule rule, List<MinuteAggregate> minutes, int minBaselineMinutes) {
        Metric metric = rule.metric();
        Condition condition = rule.condition();
        return switch (condition.type()) {
            case "threshold" -> value(metric, minutes.getLast()).stream().boxed().findFirst()
                    .map(value -> threshold(condition, value, metric));
            case "deviation" -> deviation(rule, minutes, minBaselineMinutes);
            default -> trend(rule, minutes);
        };
    }

    private static Judgement threshold(Condition condition, double value, Metric metric) {
        if (condition.above() != null && value > condition.above()) {
            double excess = (value - condition.above()) / Math.max(Math.abs(condition.above()), metric.resolution());
            return new Judgement(true, value, condition.above(), null, Judgement.severity(1 + excess),
                    metric.metricName() + " " + format(value) + " above the threshold " + format(condition.above()));
        }
        if (condition.below() != null && value < condition.below()) {
            double shortfall = (condition.below() - value) / Math.max(Math.abs(condition.below()),
                    metric.resolution());
            return new Judgement(true, value, condition.below(), null, Judgement.severity(1 + shortfall),
                    metric.metricName() + " " + format(value) + " below the threshold " + format(condition.below()));
        }
        return Judgement.normal(value, null, null);
    }

    private static Optional<Judgement> deviation(AnomalyRule rule, List<MinuteAggregate> minutes,
                                                 int minBaselineMinutes) {
        Metric metric = rule.metric();
        OptionalDouble judged = value(metric, minutes.getLast());
        if (judged.isEmpty()) {
            return Optional.empty();
        }
        List<Double> history = values(metric, minutes.subList(0, minutes.size() - 1));
        if (history.size() < minBaselineMinutes) {
            return Optional.empty();
        }
        Condition condition = rule.condition();
        RobustBaseline baseline = RobustBaseline.of(history, metric.resolution());
        double value = judged.getAsDouble();
        double z = baseline.score(value);
        double bar = condition.zScore() != null ? condition.zScore() : rule.sensitivity().zScore;
        boolean anomalous = (z >= bar && condition.watchesUp()) || (z <= -bar && condition.watchesDown());
        if (!anomalous) {
            return Optional.of(Judgement.normal(value, baseline.median(), z));
        }
        return Optional.of(new Judgement(true, value, baseline.median(), z, Judgement.severity(Math.abs(z) / bar),
                metric.metricName() + " " + format(value) + " against a median of " + format(baseline.median())
                        + " over " + history.size() + " minutes: robust z-score " + format(z) + " (bar "
                        + format(bar) + ")"));
    }

    private static Optional<Judgement> trend(AnomalyRule rule, List<MinuteAggregate> minutes) {
        Metric metric = rule.metric();
        int window = rule.windowMinutes();
        if (minutes.size() < 2 * window) {
            return Optional.empty();
        }
        List<Double> recent = values(metric, minutes.subList(minutes.size() - window, minutes.size()));
        List<Double> earlier = values(metric, minutes.subList(minutes.size() - 2 * window, minutes.size() - window));
        int needed = (window + 1) / 2;
        if (recent.size() < needed || earlier.size() < needed) {
            return Optional.empty();
        }
        double recentMean = mean(recent);
        double earlierMean = mean(earlier);
        double change = (recentMean - earlierMean) / Math.max(Math.abs(earlierMean), metric.resolution()) * 100;
        Condition condition = rule.condition();
        double bar = condition.changePercent() != null ? condition.changePercent()
                : rule.sensitivity().changePercent;
        boolean anomalous = (change >= bar && condition.watchesUp()) || (change <= -bar && condition.watchesDown());
        if (!anomalous) {
            return Optional.of(Judgement.normal(recentMean, earlierMean, change));
        }
        return Optional.of(new Judgement(true, recentMean, earlierMean, change,
                Judgement.severity(Math.abs(change) / bar), metric.metricName() + " averaged " + format(recentMean)
                + " over the last " + window + " minutes against " + format(earlierMean) + " before: "
                + format(change) + "% (bar " + format(bar) + "%)"));
    }

    private static OptionalDouble value(Metric metric, MinuteAggregate minute) {
        if (!metric.countsIdleMinutes() && minute.requests() < MIN_REQUESTS_FOR_RATES) {
            return OptionalDouble.empty();
        }
        return metric.of(minute);
    }

    private static List<Double> values(Metric metric, List<MinuteAggregate> minutes) {
        List<Double> values = new ArrayList<>();
        for (MinuteAggregate minute : minutes) {
            value(metric, minute).ifPresent(values::add);
        }
        return values;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4g", value);
    }
}
