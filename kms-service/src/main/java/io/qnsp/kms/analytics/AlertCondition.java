package io.qnsp.kms.analytics;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When an alert rule breaches: {@code metric operator threshold} over the window ending now.
 *
 * @param window as written, e.g. {@code 1h}: minutes ({@code m}), hours ({@code h}) or days ({@code d})
 */
public record AlertCondition(AlertMetric metric, AlertOperator operator, BigDecimal threshold, String window) {

    static final Duration MIN_WINDOW = Duration.ofMinutes(1);
    static final Duration MAX_WINDOW = Duration.ofDays(30);
    private static final Pattern WINDOW = Pattern.compile("([1-9][0-9]{0,5})([mhd])");

    public Duration windowLength() {
        return length(window);
    }

    /** Whether the observed value breaches the condition. */
    boolean breachedBy(BigDecimal observed) {
        return operator.holds(observed, threshold);
    }

    /**
     * Checks the fields of a condition, adding each problem under {@code prefix.field}.
     *
     * @return the condition, or {@code null} when it has a problem
     */
    static @Nullable AlertCondition of(@Nullable String metric, @Nullable String operator,
                                       @Nullable BigDecimal threshold, @Nullable String window, String prefix,
                                       InvalidField.Problems problems) {
        boolean valid = true;
        AlertMetric parsedMetric = metric == null ? null : AlertMetric.fromApiName(metric);
        if (parsedMetric == null) {
            problems.add(prefix + ".metric", metric == null ? "is required"
                    : "must be one of " + AlertMetric.apiNames());
            valid = false;
        }
        AlertOperator parsedOperator = operator == null ? null : AlertOperator.fromApiName(operator);
        if (parsedOperator == null) {
            problems.add(prefix + ".operator", operator == null ? "is required"
                    : "must be one of " + AlertOperator.apiNames());
            valid = false;
        }
        if (threshold == null) {
            problems.add(prefix + ".threshold", "is required");
            valid = false;
        } else if (threshold.signum() < 0) {
            problems.add(prefix + ".threshold", "must not be negative");
            valid = false;
        } else if (parsedMetric == AlertMetric.ERROR_RATE && threshold.compareTo(BigDecimal.valueOf(100)) > 0) {
            problems.add(prefix + ".threshold", "must be at most 100 for error_rate (a percentage)");
            valid = false;
        } else if (threshold.compareTo(new BigDecimal("1e15")) > 0) {
            problems.add(prefix + ".threshold", "must be at most 10^15");
            valid = false;
        }
        String trimmed = window == null ? null : window.strip();
        if (trimmed == null) {
            problems.add(prefix + ".window", "is required");
            valid = false;
        } else {
            Duration length = length(trimmed);
            if (length == null || length.compareTo(MIN_WINDOW) < 0 || length.compareTo(MAX_WINDOW) > 0) {
                problems.add(prefix + ".window", "must be minutes, hours or days (e.g. 15m, 1h, 24h, 7d) from 1m "
                        + "to 30d");
                valid = false;
            }
        }
        return valid ? new AlertCondition(parsedMetric, parsedOperator, threshold, trimmed)
                : null;
    }

    private static @Nullable Duration length(String window) {
        Matcher matcher = WINDOW.matcher(window);
        if (!matcher.matches()) {
            return null;
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
