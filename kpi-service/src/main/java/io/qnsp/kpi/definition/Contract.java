package io.qnsp.kpi.definition;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * One published version of a KPI's contract: what the KPI means (description, unit), the dimensions its series may
 * be filtered on and the aggregation a query gets when it names none. Never changed once published.
 *
 * @param createdAt when it was published; {@code null} for the platform's own KPIs, which ship with the service
 */
public record Contract(int version, @Nullable String description, @Nullable String unit, Aggregation aggregation,
                       List<String> dimensions, @Nullable Instant createdAt) {

    public Contract {
        dimensions = List.copyOf(dimensions);
    }

    /** The version as the API spells it: {@code v1}, {@code v2}, … */
    public String name() {
        return name(version);
    }

    public static String name(int version) {
        return "v" + version;
    }

    /** The version a name spells ({@code v3} → 3), or -1 when it spells none. */
    public static int parse(String name) {
        if (name == null || name.length() < 2 || name.length() > 10 || name.charAt(0) != 'v') {
            return -1;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return -1;
            }
        }
        int version = Integer.parseInt(name.substring(1));
        return version >= 1 ? version : -1;
    }

    public boolean hasDimension(String dimension) {
        return dimensions.contains(dimension);
    }
}
