package io.qnsp.cryptoinventory.hardware;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One health check recorded for a device: its status and the metrics measured with it. */
public record HealthCheck(UUID healthCheckId, UUID hardwareId, String status, @Nullable Double temperature,
                          @Nullable Double operationsPerSecond, @Nullable Double errorRate, Instant recordedAt) {

    /** In the order summaries list them. */
    public static final List<String> STATUSES = List.of("healthy", "degraded", "failed");
}
