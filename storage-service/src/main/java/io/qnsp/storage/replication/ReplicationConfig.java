package io.qnsp.storage.replication;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Copies the objects in its scope (buckets, key prefixes) from the service's region to each destination region's
 * volume: in {@code sync} mode before the upload is answered, in {@code async} mode by the workers. With
 * {@code encryptionAtRest} the replica is the encrypted file as stored (byte-identical); without, it is the
 * decrypted content.
 */
public record ReplicationConfig(UUID configId, String tenantId, String name, String sourceRegion,
                                List<String> destinationRegions, List<String> buckets, List<String> prefixes,
                                String mode, boolean encryptionAtRest, String status, String createdBy,
                                Instant createdAt) {

    static final List<String> MODES = List.of("sync", "async");

    boolean covers(String bucket, String key) {
        return (buckets.isEmpty() || buckets.contains(bucket))
                && (prefixes.isEmpty() || prefixes.stream().anyMatch(key::startsWith));
    }
}
