package io.qnsp.kms.analytics;

import io.qnsp.common.error.InvalidField;
import io.qnsp.kms.usage.OperationType;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A valid usage query: the operations of one key and/or type (all when {@code null}) in a period, counted per bucket.
 */
public record UsageQuery(@Nullable UUID keyId, @Nullable OperationType operation, TimeRange range,
                         Granularity granularity) {

    /** The period read when startTime is left out: the last 30 days before endTime. */
    static final Duration DEFAULT_LENGTH = Duration.ofDays(30);

    /** @throws InvalidField naming each offending query parameter */
    public static UsageQuery of(@Nullable String keyId, @Nullable String operation, @Nullable String startTime,
                                @Nullable String endTime, @Nullable String granularity, Instant now) {
        InvalidField.Problems problems = new InvalidField.Problems();
        UUID key = keyId == null ? null : problems.uuid(keyId, "keyId");
        OperationType type = operation == null ? null : OperationType.fromApiName(operation);
        if (operation != null && type == null) {
            problems.add("operation", "must be one of " + OperationType.apiNames());
        }
        Granularity width = granularity == null ? Granularity.DAY : Granularity.fromApiName(granularity);
        if (width == null) {
            problems.add("granularity", "must be one of " + Granularity.apiNames());
        }
        TimeRange range = TimeRange.of(startTime, endTime, now, DEFAULT_LENGTH, problems);
        problems.throwIfAny();
        return new UsageQuery(key, type, range, width);
    }
}
