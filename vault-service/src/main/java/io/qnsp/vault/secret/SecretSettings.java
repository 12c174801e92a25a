package io.qnsp.vault.secret;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Limits of the versioned secrets and how often their retention policies are enforced.
 *
 * @param maxValueSize           the largest value a version may hold, counted in UTF-8 bytes
 * @param maxMetadataSize        the largest metadata object a version may carry, counted as compact JSON in UTF-8
 * @param retentionSweepInterval how often the retention sweeper enforces the secrets' retention policies, and how
 *                               long a secret it enforced rests before the next sweep takes it again
 * @param retentionSweepBatch    how many secrets one sweep transaction takes
 * @param auditLimit             the most events a secret's audit log answers with (the newest ones)
 */
@Validated
@ConfigurationProperties("qnsp.vault.secrets")
public record SecretSettings(@DefaultValue("64KB") @NotNull DataSize maxValueSize,
                             @DefaultValue("4KB") @NotNull DataSize maxMetadataSize,
                             @DefaultValue("5m") @NotNull Duration retentionSweepInterval,
                             @DefaultValue("100") @Min(1) @Max(10_000) int retentionSweepBatch,
                             @DefaultValue("1000") @Min(1) @Max(100_000) int auditLimit) {
}
