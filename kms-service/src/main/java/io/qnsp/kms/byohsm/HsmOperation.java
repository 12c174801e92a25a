package io.qnsp.kms.byohsm;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/** One call into a token, as it went: the health metrics and the operations list are read from these. */
public record HsmOperation(UUID operationId, UUID connectionId, String type, @Nullable UUID keyId, String status,
                           double latencyMs, @Nullable String error, Instant timestamp) {
}
