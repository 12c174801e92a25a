package io.qnsp.kms.analytics;

import io.qnsp.kms.usage.OperationType;

import java.time.Instant;
import java.util.UUID;

/**
 * The operations of one key and type in one bucket (only buckets with an operation exist).
 *
 * @param timestamp      the start of the bucket
 * @param count          operations attempted, failures included
 * @param bytesProcessed bytes given to the successful operations
 * @param errorCount     the failures
 */
public record UsageBucket(Instant timestamp, UUID keyId, OperationType operation, long count, long bytesProcessed,
                          long errorCount) {
}
