package io.qnsp.storage.replication;

import java.time.Instant;
import java.util.UUID;

/** What a region holds of an object: a content version, encrypted as stored or decrypted. */
public record Replica(String region, boolean encrypted, UUID versionId, long size, Instant replicatedAt) {
}
