package io.qnsp.auth.federation;

import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** The look-back windows of cross-tenant activity. */
public enum ActivityPeriod {
    LAST_HOUR("1h", Duration.ofHours(1)),
    LAST_DAY("24h", Duration.ofHours(24)),
    LAST_WEEK("7d", Duration.ofDays(7)),
    LAST_MONTH("30d", Duration.ofDays(30));

    private final String value;
    private final Duration length;

    ActivityPeriod(String value, Duration length) {
        this.value = value;
        this.length = length;
    }

    @JsonValue
    public String value() {
        return value;
    }

    Duration length() {
        return length;
    }

    /** The period a request names; {@link UnsupportedPeriod} for any other text. */
    public static ActivityPeriod parse(String value) {
        return Arrays.stream(values()).filter(p -> p.value.equals(value)).findFirst()
                .orElseThrow(UnsupportedPeriod::new);
    }

    static List<String> names() {
        return Arrays.stream(values()).map(ActivityPeriod::value).toList();
    }
}
