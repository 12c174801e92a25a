package io.qnsp.storage.replication;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/** One copy (or removal) of an object's content version in a destination region, retried until it succeeds. */
record CopyTask(long taskId, UUID configId, String tenantId, UUID objectId, @Nullable UUID versionId, String region,
                String kind, boolean encrypted, String state, int attempts, @Nullable String lastError,
                Instant createdAt, Instant nextAttemptAt) {

    static final String COPY = "copy";
    static final String DELETE = "delete";
}
