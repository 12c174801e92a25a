package io.qnsp.kpi.query;

import io.qnsp.common.error.InvalidField;
import io.qnsp.kpi.definition.Aggregation;
import io.qnsp.kpi.definition.Contract;
import io.qnsp.kpi.definition.KpiDefinition;
import org.jspecify.annotations.Nullable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checked query of one KPI under one contract version: samples in the window whose dimensions match every filter
 * (any of a filter's values), downsampled to the granularity with the aggregation; averaged buckets get confidence
 * intervals at {@code confidence}.
 */
public record KpiQuery(KpiDefinition kpi, Contract contract, Map<String, List<String>> filters, Window window,
                       Granularity granularity, Aggregation aggregation, double confidence) {

    static final int MAX_FILTER_VALUES = 100;
    static final int MAX_VALUE = 256;

    public KpiQuery {
        filters = Map.copyOf(filters);
    }

    /**
     * Checks the request's fields against the contract; throws {@link InvalidField} with every broken rule.
     *
     * @param granularity day when {@code null}
     * @param aggregation the contract's when {@code null}
     * @param confidence  {@code defaultConfidence} when {@code null}
     */
    public static KpiQuery of(KpiDefinition kpi, Contract contract, @Nullable Map<String, List<String>> filters,
                              @Nullable String from, @Nullable String to, boolean windowGiven,
                              @Nullable Granularity granularity, @Nullable Aggregation aggregation,
                              @Nullable Double confidence, QuerySettings settings) {
        InvalidField.Problems problems = new InvalidField.Problems();
        Map<String, List<String>> checked = new LinkedHashMap<>();
        if (filters != null) {
            filters.forEach((name, values) -> {
                String field = "filters." + name;
                if (!contract.hasDimension(name)) {
                    problems.add(field, "is not a dimension of contract " + contract.name());
                    problems.detail("dimensions", contract.dimensions());
                } else if (values == null || values.isEmpty() || values.size() > MAX_FILTER_VALUES) {
                    problems.add(field, "must list 1 to " + MAX_FILTER_VALUES + " values");
                } else {
                    for (int i = 0; i < values.size(); i++) {
                        String value = values.get(i);
                        if (value == null || value.isEmpty() || value.length() > MAX_VALUE) {
                            problems.add(field + "[" + i + "]", "must be 1 to " + MAX_VALUE + " characters");
                        }
                    }
                    checked.put(name, List.copyOf(values.stream().filter(v -> v != null).distinct().toList()));
                }
            });
        }
        Window window = null;
        if (!windowGiven) {
            problems.add("window", "is required");
        } else {
            window = Window.of(from, to, "window", problems);
        }
        Granularity width = granularity == null ? Granularity.DAY : granularity;
        if (window != null && width.maxBuckets(window.from(), window.to()) > settings.maxPoints()) {
            problems.add("granularity", "would give more than " + settings.maxPoints() + " points over this window; "
                    + "choose a coarser granularity or a shorter window");
        }
        double level = confidence == null ? settings.defaultConfidence() : confidence;
        if (!(level >= 0.5 && level <= 0.9999)) {
            problems.add("confidence", "must be between 0.5 and 0.9999");
        }
        problems.throwIfAny();
        return new KpiQuery(kpi, contract, checked, window, width,
                aggregation == null ? contract.aggregation() : aggregation, level);
    }
}
