package io.qnsp.audit.retention;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of audit-event retention ({@code qnsp.audit.retention.*}).
 *
 * @param archiveDirectory     the root under which cleanups archive events, one directory per tenant; relative paths
 *                             are resolved against the working directory
 * @param maxPoliciesPerTenant how many retention policies one tenant (or the platform operator) may hold
 * @param archiveFetchSize     rows fetched from PostgreSQL at a time while an archive is written
 * @param minRetentionPeriod   the shortest period a policy may keep events, so that no policy can erase the audit
 *                             trail (its own cleanups' records included) as soon as it is written
 */
@Validated
@ConfigurationProperties("qnsp.audit.retention")
public record RetentionSettings(@DefaultValue(".qnsp/audit-archive") @NotNull Path archiveDirectory,
                                @DefaultValue("100") @Min(1) @Max(10_000) int maxPoliciesPerTenant,
                                @DefaultValue("1000") @Min(1) @Max(100_000) int archiveFetchSize,
                                @DefaultValue("1d") @NotNull Duration minRetentionPeriod) {

    public RetentionSettings {
        if (minRetentionPeriod != null && minRetentionPeriod.isNegative()) {
            throw new IllegalArgumentException("qnsp.audit.retention.min-retention-period must not be negative");
        }
    }
}
