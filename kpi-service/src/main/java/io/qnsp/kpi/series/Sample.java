package io.qnsp.kpi.series;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;

/**
 * One sample of a KPI's series.
 *
 * @param sourceKey what makes it unique within the KPI ({@code event:<id>}, {@code api:<sample id>}); a sample
 *                  whose key was stored before is not stored again; {@code null} for none
 */
public record Sample(Instant ts, double value, Map<String, String> dimensions, @Nullable String sourceKey) {

    public Sample {
        dimensions = Map.copyOf(dimensions);
    }
}
