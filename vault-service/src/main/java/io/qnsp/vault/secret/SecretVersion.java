package io.qnsp.vault.secret;

import io.qnsp.common.kms.Envelopes;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One version of a secret as stored: its value only sealed ({@code null} once destroyed) and fingerprinted.
 *
 * @param versionId      the row's id, part of the value's encryption context
 * @param metadata       the client's metadata, stored as given (not secret)
 * @param stateChangedAt when the version last changed state; {@code null} while it is as written
 */
public record SecretVersion(UUID versionId, String tenantId, String secretId, int version, VersionState state,
                            Envelopes.@Nullable Sealed sealed, byte[] fingerprint, Map<String, Object> metadata,
                            Instant createdAt, String createdBy, @Nullable Instant stateChangedAt) {

    SecretVersion withState(VersionState newState, Instant at) {
        return new SecretVersion(versionId, tenantId, secretId, version, newState,
                newState == VersionState.DESTROYED ? null : sealed, fingerprint, metadata, createdAt, createdBy, at);
    }

    @Override
    public String toString() {
        return "SecretVersion[secretId=" + secretId + ", version=" + version + ", state=" + state.apiName() + "]";
    }
}
