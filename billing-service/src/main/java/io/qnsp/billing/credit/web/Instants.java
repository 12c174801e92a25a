package io.qnsp.billing.credit.web;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** ISO 8601 date-times in requests. */
final class Instants {

    private Instants() {
    }

    /** The instant the text spells, or {@code null} with the field's problem; {@code null} for no text. */
    static @Nullable Instant parse(@Nullable String text, String field, InvalidField.Problems problems) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(field, "must be an ISO 8601 date-time with offset, e.g. 2026-12-31T23:59:59Z");
            return null;
        }
    }
}
