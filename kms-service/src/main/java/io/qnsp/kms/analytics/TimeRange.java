package io.qnsp.kms.analytics;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** A half-open period [start, end) of the operation log, parsed from the ISO 8601 query parameters. */
public record TimeRange(Instant start, Instant end) {

    /** The longest period one query reads. */
    static final Duration MAX_LENGTH = Duration.ofDays(366);

    /**
     * @param defaultLength how far back {@code start} lies from {@code end} when it is left out, at most
     *                      {@link #MAX_LENGTH}: a bucketed report is bounded; {@code null} for a report of totals,
     *                      which reads every operation before {@code end} when it is left out, however old
     * @return the range, or {@code null} after adding each problem to {@code problems}
     */
    static @Nullable TimeRange of(@Nullable String startTime, @Nullable String endTime, Instant now,
                                  @Nullable Duration defaultLength, InvalidField.Problems problems) {
        Instant start = instant(startTime, "startTime", problems);
        Instant end = instant(endTime, "endTime", problems);
        if (!problems.isEmpty()) {
            return null;
        }
        Instant to = end == null ? now : end;
        Instant from = start != null ? start : defaultLength == null ? Instant.EPOCH : to.minus(defaultLength);
        if (!from.isBefore(to)) {
            problems.add(start != null ? "startTime" : "endTime", "must be before endTime");
            return null;
        }
        if (defaultLength != null && Duration.between(from, to).compareTo(MAX_LENGTH) > 0) {
            problems.add("startTime", "must be at most " + MAX_LENGTH.toDays() + " days before endTime");
            return null;
        }
        return new TimeRange(from, to);
    }

    private static @Nullable Instant instant(@Nullable String text, String field, InvalidField.Problems problems) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(field, "must be an ISO 8601 date-time with an offset, e.g. 2025-01-31T12:00:00Z");
            return null;
        }
    }
}
