package io.qnsp.auth;

import com.fasterxml.jackson.annotation.JsonValue;
import io.qnsp.common.error.InvalidField;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The periods ending now that reports of auth-service cover ({@code period=1h|24h|7d|30d}). */
public enum LookBackPeriod {

    LAST_HOUR("1h", Duration.ofHours(1)),
    LAST_DAY("24h", Duration.ofHours(24)),
    LAST_WEEK("7d", Duration.ofDays(7)),
    LAST_30_DAYS("30d", Duration.ofDays(30));

    private final String value;
    private final Duration length;

    LookBackPeriod(String value, Duration length) {
        this.value = value;
        this.length = length;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public Duration length() {
        return length;
    }

    /**
     * The period a {@code period} parameter names, {@code 24h} when it names none.
     *
     * @throws InvalidField naming {@code period} and the allowed values for any other text
     */
    public static LookBackPeriod parse(String value) {
        if (value == null) {
            return LAST_DAY;
        }
        return Arrays.stream(values()).filter(period -> period.value.equals(value)).findFirst()
                .orElseThrow(() -> new InvalidField("period", "must be one of " + String.join(", ", names()),
                        Map.of("allowedValues", names())));
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(LookBackPeriod::value).toList();
    }
}
