package io.qnsp.observability.cost;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** ISO 8601 instants as the API takes them: a date-time with an offset, or a date (its start, UTC). */
public final class Iso8601 {

    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9000-01-01T00:00:00Z");

    private Iso8601() {
    }

    /** The instant the text spells, or {@code null} with the field's problem; {@code null} for no text. */
    public static @Nullable Instant parse(@Nullable String text, String field, InvalidField.Problems problems) {
        if (text == null) {
            return null;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                at = LocalDate.parse(text.strip()).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notDate) {
                problems.add(field, "must be an ISO 8601 date-time with an offset (2026-01-31T00:00:00Z) or a date");
                return null;
            }
        }
        if (at.isBefore(EARLIEST) || !at.isBefore(LATEST)) {
            problems.add(field, "must lie between 1970 and 9000");
            return null;
        }
        return at;
    }
}
