package io.qnsp.storage.object;

import java.time.Instant;
import java.util.UUID;

/** A tenant's bucket: a namespace of object keys in the service's region. */
public record Bucket(UUID bucketId, String tenantId, String name, String region, String createdBy, Instant createdAt) {
}
