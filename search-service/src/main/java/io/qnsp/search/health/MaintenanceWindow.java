package io.qnsp.search.health;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Maintenance of some of a tenant's indices at a set time: {@code optimize} (VACUUM ANALYZE of the index),
 * {@code reindex} (REINDEX of its index structures) or {@code backup} (a copy of the tenant's documents). Work that
 * would run past the end of the window is cancelled.
 */
public record MaintenanceWindow(UUID windowId, String tenantId, List<String> indexNames, String maintenanceType,
                                Instant scheduledAt, Duration duration, String status, @Nullable Instant startedAt,
                                @Nullable Instant finishedAt, @Nullable String outcome, Instant createdAt) {

    public static final List<String> TYPES = List.of("optimize", "reindex", "backup");
    public static final String SCHEDULED = "scheduled";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    public Instant endsAt() {
        return scheduledAt.plus(duration);
    }
}
