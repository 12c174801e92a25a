package io.qnsp.auth.federation;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Reads the ISO-8601 times of requests. PostgreSQL keeps microseconds, so every instant is truncated to them here:
 * what a caller is told (and what a cursor carries) is exactly what is stored.
 */
final class Times {

    static final String EXPECTED = "must be an ISO-8601 date-time with an offset (e.g. 2025-01-31T12:00:00Z)"
            + " or a date (e.g. 2025-01-31)";
    private static final String EXPECTED_INSTANT =
            "must be an ISO-8601 date-time with an offset (e.g. 2025-01-31T12:00:00Z)";

    // years 1 to 9999: ISO-8601's ordinary range, well inside PostgreSQL's
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("+10000-01-02T00:00:00Z");

    private Times() {
    }

    static Instant now(Clock clock) {
        return micros(clock.instant());
    }

    static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * A range bound: a date-time with an offset, or a UTC date meaning the start of that day, or for the (exclusive)
     * end of a range the start of the next day, so that {@code endDate: 2025-01-31} includes the whole 31st.
     * {@code null} for a missing or blank value.
     */
    static Instant bound(String field, String text, boolean end) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.strip();
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException notDateTime) {
            try {
                LocalDate date = LocalDate.parse(value);
                instant = (end ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeException notDate) {
                throw new InvalidTime(field, EXPECTED);
            }
        }
        return supported(field, instant);
    }

    /** A point in time: a date-time with an offset only. */
    static Instant instant(String field, String text) {
        try {
            return supported(field, OffsetDateTime.parse(text.strip()).toInstant());
        } catch (DateTimeException e) {
            throw new InvalidTime(field, EXPECTED_INSTANT);
        }
    }

    private static Instant supported(String field, Instant instant) {
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new InvalidTime(field, "must lie between the years 1 and 9999");
        }
        return micros(instant);
    }
}
