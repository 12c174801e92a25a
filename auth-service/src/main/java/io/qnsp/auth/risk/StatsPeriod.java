package io.qnsp.auth.risk;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The periods the risk stats cover, ending now. */
public enum StatsPeriod {

    LAST_HOUR("1h", Duration.ofHours(1)),
    LAST_DAY("24h", Duration.ofHours(24)),
    LAST_WEEK("7d", Duration.ofDays(7)),
    LAST_30_DAYS("30d", Duration.ofDays(30));

    private final String value;
    private final Duration length;

    StatsPeriod(String value, Duration length) {
        this.value = value;
        this.length = length;
    }

    public String value() {
        return value;
    }

    public Duration length() {
        return length;
    }

    /** The period a query parameter names; {@code 24h} when it names none. */
    public static StatsPeriod parse(String value) {
        if (value == null) {
            return LAST_DAY;
        }
        for (StatsPeriod period : values()) {
            if (period.value.equals(value)) {
                return period;
            }
        }
        List<String> allowed = Arrays.stream(values()).map(StatsPeriod::value).toList();
        throw new InvalidRiskInput("period", "must be one of " + String.join(", ", allowed),
                Map.of("allowedValues", allowed));
    }
}
