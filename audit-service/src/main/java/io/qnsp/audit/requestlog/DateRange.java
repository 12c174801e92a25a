package io.qnsp.audit.requestlog;

import io.qnsp.common.error.InvalidField;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A {@code startDate}–{@code endDate} range as the API receives it: ISO-8601 instants or offset date-times, local
 * date-times read as UTC, or plain dates (a start date from its first instant, an end date through its last).
 *
 * @param from inclusive lower bound, {@code null} for none
 * @param until exclusive upper bound, {@code null} for none
 */
public record DateRange(Instant from, Instant until) {

    static DateRange parse(String startDate, String endDate) {
        Instant from = parse("startDate", startDate, false);
        Instant until = parse("endDate", endDate, true);
        if (from != null && until != null && !from.isBefore(until)) {
            throw new InvalidField("endDate", "must be after startDate");
        }
        return new DateRange(from, until);
    }

    private static Instant parse(String field, String value, boolean end) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            if (text.length() == 10) {
                LocalDate date = LocalDate.parse(text);
                return (end ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            Instant instant;
            try {
                instant = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException noOffset) {
                instant = LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            }
            // An end instant is inclusive as written: the exclusive bound is just after it.
            return end ? instant.plusNanos(1000) : instant;
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidField(field, "must be an ISO-8601 date or date-time, e.g. 2024-01-15T10:30:00Z");
        }
    }
}
