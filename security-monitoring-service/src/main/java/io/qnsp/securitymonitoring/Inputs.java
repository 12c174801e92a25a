package io.qnsp.securitymonitoring;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;

import java.util.LinkedHashSet;
import java.util.List;

/** Checks of request fields shared by the service's endpoints; each problem names its field. */
public final class Inputs {

    public static final int MAX_TEXT = 200;
    public static final int MAX_DESCRIPTION = 2000;
    public static final int MAX_LIST = 50;

    private Inputs() {
    }


    /** The distinct stripped entries (none when absent); entries must be non-empty and at most MAX_TEXT long. */
    public static List<String> list(@Nullable List<String> values, String field, InvalidField.Problems problems) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_LIST) {
            problems.add(field, "must have at most " + MAX_LIST + " entries");
            return List.of();
        }
        if (values.stream().anyMatch(v -> v == null || v.isBlank() || v.strip().length() > MAX_TEXT)) {
            problems.add(field, "entries must be non-empty and at most " + MAX_TEXT + " characters");
            return List.of();
        }
        return List.copyOf(new LinkedHashSet<>(values.stream().map(String::strip).toList()));
    }
}
