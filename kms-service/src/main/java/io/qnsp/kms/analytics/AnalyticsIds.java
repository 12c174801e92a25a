package io.qnsp.kms.analytics;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;

import java.util.UUID;

/** Ids given in queries and bodies: a malformed one is bad input naming its field. */
final class AnalyticsIds {

    private AnalyticsIds() {
    }

    static @Nullable UUID parse(String text, String field, InvalidField.Problems problems) {
        try {
            return UUID.fromString(text.strip());
        } catch (IllegalArgumentException e) {
            problems.add(field, "must be a UUID");
            return null;
        }
    }

    /** A malformed id in a path names nothing: not found, as for the keys API. */
    static @Nullable UUID parseOrNull(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
