package io.qnsp.kpi.definition;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How the samples of one bucket become its value. */
public enum Aggregation {
    SUM, AVG, MIN, MAX, COUNT;

    @JsonValue
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The aggregation spelled so, or {@code null}. */
    public static Aggregation fromApiName(String name) {
        for (Aggregation aggregation : values()) {
            if (aggregation.apiName().equals(name)) {
                return aggregation;
            }
        }
        return null;
    }

    public static List<String> apiNames() {
        return Arrays.stream(values()).map(Aggregation::apiName).toList();
    }
}
