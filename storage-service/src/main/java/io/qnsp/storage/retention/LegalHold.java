package io.qnsp.storage.retention;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A legal hold: while it is active (not released, not past {@code expiresAt}) the objects it names, and every object
 * in the buckets it names, cannot be overwritten or deleted. Its release is kept with who released it and why.
 */
public record LegalHold(UUID holdId, String tenantId, String name, String reason, List<UUID> objectIds,
                        List<UUID> bucketIds, @Nullable Instant expiresAt, String createdBy, Instant createdAt,
                        @Nullable Instant releasedAt, @Nullable String releasedBy, @Nullable String releaseReason) {

    public boolean activeAt(Instant now) {
        return releasedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
