package io.qnsp.audit.requestlog;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Retention of the gateway's request logs ({@code qnsp.audit.request-logs.retention.*}).
 *
 * @param period        how long a request log is kept, counted from the request's time; {@code 0} keeps them forever
 *                      (retention off), anything else must be at least an hour
 * @param sweepInterval the pause between two purges (the first comes one interval after start-up)
 * @param batchSize     request logs deleted per statement (each its own transaction), so that a large backlog never
 *                      holds its locks for long
 */
@Validated
@ConfigurationProperties("qnsp.audit.request-logs.retention")
public record RequestLogRetentionSettings(@DefaultValue("30d") @NotNull Duration period,
                                          @DefaultValue("1h") @NotNull Duration sweepInterval,
                                          @DefaultValue("5000") @Min(1) @Max(100_000) int batchSize) {

    public RequestLogRetentionSettings {
        if (period != null && (period.isNegative() || (!period.isZero() && period.compareTo(Duration.ofHours(1)) < 0))) {
            throw new IllegalArgumentException("qnsp.audit.request-logs.retention.period must be 0 (keep forever) or "
                    + "at least 1h");
        }
        if (sweepInterval != null && (sweepInterval.isZero() || sweepInterval.isNegative())) {
            throw new IllegalArgumentException(
                    "qnsp.audit.request-logs.retention.sweep-interval must be a positive duration");
        }
    }

    /** Whether request logs are purged at all. */
    boolean enabled() {
        return !period.isZero();
    }
}
