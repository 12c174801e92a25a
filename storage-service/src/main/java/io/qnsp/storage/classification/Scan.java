package io.qnsp.storage.classification;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A classification scan and its progress: queued, running (claimed by one instance, which renews its lease as it
 * goes), completed. {@code trigger} is {@code manual} (requested) or {@code auto} (an upload under an auto-applied
 * policy).
 */
public record Scan(UUID scanId, String tenantId, String trigger, List<String> buckets, List<String> prefixes,
                   List<UUID> policyIds, String status, int objectsTotal, long bytesTotal, int objectsScanned,
                   int objectsLabelled, int objectsFailed, int objectsSkipped, long bytesScanned, String requestedBy, Instant createdAt,
                   Instant estimatedCompletionAt, @Nullable Instant startedAt, @Nullable Instant completedAt) {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";

    /** Objects settled (scanned, failed or skipped) out of those in scope, 0 to 100; 100 once completed. */
    public int progressPercent() {
        if (COMPLETED.equals(status) || objectsTotal == 0) {
            return 100;
        }
        return (int) Math.min(99, (objectsScanned + objectsFailed + objectsSkipped) * 100L / objectsTotal);
    }
}
