package io.qnsp.kms.key;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * One version of a key's material, wrapped under the master key, with the algorithm it was made for.
 *
 * @param publicKey X.509 public key of an asymmetric key; {@code null} for AES
 * @param origin    {@code generated} by the service or {@code imported} by the tenant
 */
record KeyVersion(UUID keyId, int version, KeyAlgorithm algorithm, byte[] wrappedMaterial, byte @Nullable [] publicKey, String origin,
                  Instant createdAt) {
}
