package io.qnsp.kpi.definition;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The content of a contract about to be published, checked. */
public record NewContract(@Nullable String description, @Nullable String unit, Aggregation aggregation,
                          List<String> dimensions) {

    public static final int MAX_DIMENSIONS = 16;
    static final int MAX_DESCRIPTION = 500;
    static final int MAX_UNIT = 32;

    public NewContract {
        dimensions = List.copyOf(dimensions);
    }

    /**
     * Checks the fields, adding each broken rule to {@code problems}; {@code null} when any is broken. The
     * aggregation defaults to {@code sum}, the dimensions to none.
     */
    public static @Nullable NewContract of(@Nullable String description, @Nullable String unit,
                                           @Nullable Aggregation aggregation, @Nullable List<String> dimensions,
                                           InvalidField.Problems problems) {
        boolean valid = true;
        if (description != null && description.length() > MAX_DESCRIPTION) {
            problems.add("description", "must be at most " + MAX_DESCRIPTION + " characters");
            valid = false;
        }
        if (unit != null && (unit.isBlank() || unit.length() > MAX_UNIT)) {
            problems.add("unit", "must be 1 to " + MAX_UNIT + " characters");
            valid = false;
        }
        List<String> names = new ArrayList<>();
        if (dimensions != null) {
            if (dimensions.size() > MAX_DIMENSIONS) {
                problems.add("dimensions", "must have at most " + MAX_DIMENSIONS + " entries");
                valid = false;
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < dimensions.size(); i++) {
                String name = dimensions.get(i);
                if (!Names.valid(name)) {
                    problems.add("dimensions[" + i + "]", Names.RULE);
                    valid = false;
                } else if (!seen.add(name)) {
                    problems.add("dimensions[" + i + "]", "is listed twice");
                    valid = false;
                } else {
                    names.add(name);
                }
            }
        }
        return valid ? new NewContract(description, unit, aggregation == null ? Aggregation.SUM : aggregation, names)
                : null;
    }
}
