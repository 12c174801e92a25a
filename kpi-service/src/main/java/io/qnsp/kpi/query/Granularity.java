package io.qnsp.kpi.query;

import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Duration;
import java.util.Locale;

/**
 * The width of the buckets a series is downsampled into. Buckets start on UTC calendar boundaries (a week on Monday,
 * a month on its first day); {@code window} makes the whole window one bucket.
 */
public enum Granularity {
    MINUTE(Duration.ofMinutes(1)),
    HOUR(Duration.ofHours(1)),
    DAY(Duration.ofDays(1)),
    WEEK(Duration.ofDays(7)),
    MONTH(Duration.ofDays(28)),
    WINDOW(null);

    /** The shortest a bucket can be, to bound the number of points a window gives; {@code null} for one bucket. */
    private final Duration shortest;

    Granularity(Duration shortest) {
        this.shortest = shortest;
    }

    @JsonValue
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The most buckets a window from {@code from} to {@code to} can touch. */
    long maxBuckets(java.time.Instant from, java.time.Instant to) {
        if (shortest == null) {
            return 1;
        }
        // a window can start inside its first bucket and end inside its last one
        return Duration.between(from, to).toMillis() / shortest.toMillis() + 2;
    }

    /** Whether a bucket of this granularity always starts at midnight UTC, so its start reads best as a date. */
    boolean calendarDays() {
        return this == DAY || this == WEEK || this == MONTH;
    }
}
