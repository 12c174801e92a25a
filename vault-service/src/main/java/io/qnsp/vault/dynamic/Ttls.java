package io.qnsp.vault.dynamic;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times to live as ISO 8601 durations: {@code PT30M}, {@code PT1H}, {@code P1DT12H}, and whole weeks
 * {@code P2W}. Years and months are refused: their length depends on the calendar.
 */
final class Ttls {

    private static final Pattern WEEKS = Pattern.compile("P(\\d{1,4})W");

    private Ttls() {
    }

    /** The duration, or {@code null} with the field's problem when it is malformed or not positive. */
    static @Nullable Duration parse(@Nullable String text, String field, InvalidField.Problems problems) {
        if (text == null) {
            return null;
        }
        String value = text.strip().toUpperCase(Locale.ROOT);
        Duration duration;
        Matcher weeks = WEEKS.matcher(value);
        try {
            duration = weeks.matches() ? Duration.ofDays(7L * Integer.parseInt(weeks.group(1)))
                    : Duration.parse(value);
        } catch (DateTimeParseException | ArithmeticException e) {
            problems.add(field, "must be an ISO 8601 duration such as PT1H, P1DT12H or P2W (no years or months)");
            return null;
        }
        if (duration.isNegative() || duration.isZero()) {
            problems.add(field, "must be positive");
            return null;
        }
        return duration;
    }
}
