package io.qnsp.storage.classification;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What one policy's scan found in one content version of an object: the classification its matching rules give
 * (none when no rule matched), the data types, and how many findings each rule had (never the values found).
 */
public record ObjectLabel(UUID objectId, UUID policyId, UUID versionId, @Nullable String classification,
                          List<String> dataTypes, List<Integer> findings, long scannedBytes, boolean truncated,
                          UUID scanId, Instant scannedAt) {
}
