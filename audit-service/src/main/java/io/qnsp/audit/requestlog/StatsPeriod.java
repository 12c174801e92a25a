package io.qnsp.audit.requestlog;

import io.qnsp.common.error.InvalidField;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The width of one time-series point of the stats, named as in the API. */
public enum StatsPeriod {
    MINUTE(Duration.ofMinutes(1)), HOUR(Duration.ofHours(1)), DAY(Duration.ofDays(1));

    private final Duration width;

    StatsPeriod(Duration width) {
        this.width = width;
    }

    Duration width() {
        return width;
    }

    /** The {@code date_trunc} unit. */
    String unit() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code hour} when none is named. */
    public static StatsPeriod parse(String value) {
        if (value == null || value.isBlank()) {
            return HOUR;
        }
        return Arrays.stream(values()).filter(p -> p.unit().equalsIgnoreCase(value.strip())).findFirst()
                .orElseThrow(() -> new InvalidField("period", "must be one of [minute, hour, day]",
                        java.util.Map.of("allowedValues", List.of("minute", "hour", "day"))));
    }
}
