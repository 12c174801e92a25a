package io.qnsp.kms.key;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * A tenant's key: its versions hold the material; {@code currentVersion} encrypts and signs, every version
 * decrypts and verifies. {@code algorithm} and {@code usage} are the current version's: a rotation may change them.
 *
 * @param deletionDate when a key pending deletion is destroyed; {@code null} otherwise
 * @param rotatedAt    when the current version was made by a rotation; {@code null} for a key never rotated
 */
public record Key(UUID keyId, String tenantId, String name, @Nullable String description, KeyAlgorithm algorithm,
                  KeyUsage usage, KeyState state, int currentVersion, @Nullable Instant deletionDate,
                  Instant createdAt, Instant updatedAt, @Nullable Instant rotatedAt) {

    Key withState(KeyState newState, @Nullable Instant newDeletionDate, Instant now) {
        return new Key(keyId, tenantId, name, description, algorithm, usage, newState, currentVersion,
                newDeletionDate, createdAt, now, rotatedAt);
    }

    /** The key after a rotation to a new version of the algorithm given (the same one, or another of its kind). */
    Key rotated(KeyAlgorithm newAlgorithm, KeyUsage newUsage, Instant now) {
        return new Key(keyId, tenantId, name, description, newAlgorithm, newUsage, state, currentVersion + 1,
                deletionDate, createdAt, now, now);
    }

    Key described(@Nullable String newDescription, Instant now) {
        return new Key(keyId, tenantId, name, newDescription, algorithm, usage, state, currentVersion, deletionDate,
                createdAt, now, rotatedAt);
    }

    /** The agility reports' category: encryption, signing or key_exchange. */
    public String category() {
        return algorithm.category(usage);
    }
}
