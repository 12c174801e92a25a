package io.qnsp.kms.analytics;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;

/** The width of the buckets usage is counted in; buckets start on UTC boundaries (a week on Monday). */
public enum Granularity {
    HOUR("hour"), DAY("day"), WEEK("week");

    private final String apiName;

    Granularity(String apiName) {
        this.apiName = apiName;
    }

    /** Also the field name PostgreSQL's {@code date_trunc} takes. */
    @JsonValue
    public String apiName() {
        return apiName;
    }

    static Granularity fromApiName(String name) {
        for (Granularity granularity : values()) {
            if (granularity.apiName.equals(name)) {
                return granularity;
            }
        }
        return null;
    }

    static List<String> apiNames() {
        return Arrays.stream(values()).map(Granularity::apiName).toList();
    }
}
