package io.qnsp.kms.usage;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * One use of a key: performed by the service ({@code source = service}, the application being the caller's
 * identity) or reported by an application ({@code source = recorded}).
 *
 * @param keyVersion     the version used; {@code null} when unknown (a recorded use, a failure before one was chosen)
 * @param bytesProcessed the bytes of data the operation was given
 * @param succeeded      whether it succeeded
 */
public record KeyOperation(String tenantId, UUID keyId, @Nullable Integer keyVersion, String algorithm,
                           String applicationId, String source, OperationType operation, long bytesProcessed,
                           boolean succeeded, Instant occurredAt) {

    public static final String SERVICE = "service";
    public static final String RECORDED = "recorded";
}
