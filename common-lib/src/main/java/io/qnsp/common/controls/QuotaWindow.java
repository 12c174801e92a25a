package io.qnsp.common.controls;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The period a quota counts over: calendar periods in UTC, so counters reset at the same moment for every tenant. */
public enum QuotaWindow {

    /** a UTC calendar day, keyed {@code yyyy-MM-dd} */
    DAY(DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC), Duration.ofDays(2)),
    /** a UTC calendar month, keyed {@code yyyy-MM} */
    MONTH(DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC), Duration.ofDays(32));

    private final DateTimeFormatter format;
    private final Duration retention;

    QuotaWindow(DateTimeFormatter format, Duration retention) {
        this.format = format;
        this.retention = retention;
    }

    /** The window {@code instant} falls in, e.g. {@code 2025-10}. */
    public String windowOf(Instant instant) {
        return format.format(instant);
    }

    /** How long a window's counter is kept: past the window's end, then Redis drops it. */
    Duration retention() {
        return retention;
    }
}
