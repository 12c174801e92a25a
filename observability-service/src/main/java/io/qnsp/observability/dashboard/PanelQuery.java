package io.qnsp.observability.dashboard;

import io.qnsp.observability.metrics.Metric;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a data panel shows: a metric the service computes, per minute or under an aggregation over the panel's time
 * range ({@code sum}, {@code avg}, {@code min}, {@code max}, {@code p95}).
 */
record PanelQuery(String aggregation, Metric metric) {

    static final List<String> AGGREGATIONS = List.of("sum", "avg", "min", "max", "p95");

    private static final Pattern FORM = Pattern.compile("^\\s*(?:([a-z0-9]+)\\s*\\(\\s*([A-Za-z0-9_.]+)\\s*\\)"
            + "|([A-Za-z0-9_.]+))\\s*$");

    /** The query, or the problem with it. */
    static Optional<PanelQuery> parse(String text, StringBuilder problem) {
        Matcher matcher = FORM.matcher(text);
        if (!matcher.matches()) {
            problem.append("must be a metric or aggregation(metric), e.g. avg(error_rate)");
            return Optional.empty();
        }
        String aggregation = matcher.group(1) == null ? "none" : matcher.group(1);
        String metricName = matcher.group(1) == null ? matcher.group(3) : matcher.group(2);
        if (!"none".equals(aggregation) && !AGGREGATIONS.contains(aggregation)) {
            problem.append("uses unknown aggregation '").append(aggregation).append("'; known: ")
                    .append(AGGREGATIONS);
            return Optional.empty();
        }
        Optional<Metric> metric = Metric.named(metricName);
        if (metric.isEmpty()) {
            problem.append("names unknown metric '").append(metricName).append("'; known: ").append(Metric.NAMES);
            return Optional.empty();
        }
        return Optional.of(new PanelQuery(aggregation, metric.get()));
    }
}
