package io.qnsp.kms.byohsm;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** A connection's health over its last operations: mean latency, share of failures, last success. */
public record HealthMetrics(@Nullable Double latencyMs, @Nullable Double errorRate,
                            @Nullable Instant lastSuccessfulOperation) {
}
