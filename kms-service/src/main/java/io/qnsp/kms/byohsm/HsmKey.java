package io.qnsp.kms.byohsm;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A key generated inside a tenant's token: the service knows its alias there, never its material. */
public record HsmKey(UUID keyId, UUID connectionId, String tenantId, String keyType, int keySize, String algorithm,
                     List<String> purpose, String alias, @Nullable String name, @Nullable String description,
                     byte @Nullable [] publicKey, Instant createdAt) {
}
