package io.qnsp.kpi.query;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The span of a query, from (inclusive) to (exclusive). A date stands for midnight UTC at its start when it is
 * {@code from}, and for the end of that day when it is {@code to}, so {@code 2025-10-01} to {@code 2025-10-05}
 * covers five whole days; a date-time with an offset stands for itself.
 */
public record Window(Instant from, Instant to) {

    static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** The window the two texts spell, or {@code null} with each broken rule in {@code problems}. */
    static @Nullable Window of(@Nullable String from, @Nullable String to, String field,
                               InvalidField.Problems problems) {
        Instant start = bound(from, false, field + ".from", problems);
        Instant end = bound(to, true, field + ".to", problems);
        if (start == null || end == null) {
            return null;
        }
        if (!start.isBefore(end)) {
            problems.add(field + ".to", "must be after from");
            return null;
        }
        return new Window(start, end);
    }

    private static @Nullable Instant bound(@Nullable String text, boolean end, String field,
                                           InvalidField.Problems problems) {
        if (text == null) {
            problems.add(field, "is required");
            return null;
        }
        Instant instant;
        try {
            if (text.length() == 10) {
                LocalDate date = LocalDate.parse(text);
                instant = (end ? date.plusDays(1) : date).atStartOfDay().toInstant(ZoneOffset.UTC);
            } else {
                instant = OffsetDateTime.parse(text).toInstant();
            }
        } catch (DateTimeParseException e) {
            problems.add(field, "must be a date (2025-10-01) or an ISO 8601 date-time with an offset");
            return null;
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            problems.add(field, "must lie between the years 1900 and 9999");
            return null;
        }
        return instant;
    }
}
