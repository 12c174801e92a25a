package io.qnsp.audit.retention;

import io.qnsp.common.error.InvalidField;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * How long a policy keeps events: an ISO-8601 duration, either in calendar units ({@code P90D}, {@code P6M},
 * {@code P1Y}, {@code P2W}, subtracted in UTC calendar arithmetic) or in time units ({@code PT720H}, {@code P1DT12H},
 * where a day is 24 hours). Positive, at most 100 years.
 *
 * @param text the period as stored and shown, upper case
 */
public record RetentionPeriod(String text) {

    static final String FIELD = "retentionPeriod";
    static final int MAX_YEARS = 100;

    private static final String EXPECTED = "must be an ISO-8601 duration such as P90D, P6M, P1Y or PT720H";
    private static final LocalDate REFERENCE = LocalDate.of(2100, 1, 1);

    public RetentionPeriod {
        text = checked(text);
    }

    /** The period read from caller text; a bad one is a 400 naming {@code retentionPeriod}. */
    public static RetentionPeriod parse(String text) {
        return new RetentionPeriod(text);
    }

    /** The shortest time this period can span: a month counts as 28 days, a year as 365. */
    Duration shortest() {
        Object amount = amount(text);
        return amount instanceof Period period
                ? Duration.ofDays(period.getYears() * 365L + period.getMonths() * 28L + period.getDays())
                : (Duration) amount;
    }

    /** The instant before which an event is older than this period, seen from {@code now}. */
    Instant cutoff(Instant now) {
        Object amount = amount(text);
        return amount instanceof Period period ? now.atZone(ZoneOffset.UTC).minus(period).toInstant()
                : now.minus((Duration) amount);
    }

    private static String checked(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidField(FIELD, "is required");
        }
        String text = raw.strip().toUpperCase(Locale.ROOT);
        if (text.length() > 50) {
            throw new InvalidField(FIELD, EXPECTED);
        }
        Object amount = amount(text);
        if (amount instanceof Period period) {
            if (period.getYears() < 0 || period.getMonths() < 0 || period.getDays() < 0) {
                throw new InvalidField(FIELD, "must be positive");
            }
            if (period.isZero()) {
                throw new InvalidField(FIELD, "must be positive");
            }
            try {
                if (REFERENCE.minus(period).isBefore(REFERENCE.minusYears(MAX_YEARS))) {
                    throw tooLong();
                }
            } catch (DateTimeException | ArithmeticException e) {
                throw tooLong();
            }
        } else {
            Duration duration = (Duration) amount;
            if (duration.isNegative() || duration.isZero()) {
                throw new InvalidField(FIELD, "must be positive");
            }
            if (duration.compareTo(Duration.ofDays(365L * MAX_YEARS + MAX_YEARS / 4)) > 0) {
                throw tooLong();
            }
        }
        return text;
    }

    /** A {@link Period} when the text has no time part, else a {@link Duration}. */
    private static Object amount(String text) {
        try {
            return text.contains("T") ? Duration.parse(text) : Period.parse(text);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidField(FIELD, EXPECTED);
        }
    }

    private static InvalidField tooLong() {
        return new InvalidField(FIELD, "must not exceed " + MAX_YEARS + " years");
    }
}
