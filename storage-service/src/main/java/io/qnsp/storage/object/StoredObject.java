package io.qnsp.storage.object;

import java.time.Instant;
import java.util.UUID;

/**
 * An object as its row describes it. Its id stays the same while the key exists (an overwrite makes a new content
 * version); {@code wrappedKey} is the data key of the current version as kms-service encrypted it.
 */
public record StoredObject(UUID objectId, String tenantId, UUID bucketId, String bucket, String key, UUID versionId,
                           long size, String etag, String contentType, String wrappedKey, String storageClass,
                           Instant createdAt, Instant writtenAt, String writtenBy) {

    public static final String STANDARD = "standard";
    public static final String ARCHIVE = "archive";

    public boolean archived() {
        return ARCHIVE.equals(storageClass);
    }

    @Override
    public String toString() {
        return "StoredObject[objectId=" + objectId + ", bucket=" + bucket + ", versionId=" + versionId + ", size="
                + size + "]";
    }
}
