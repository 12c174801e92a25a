package io.qnsp.auth.apikey;

import java.time.Instant;

/** The result of a rotation: the new key (with its only copy) and the old key, deprecated until its expiry. */
public record RotatedApiKey(NewKey newKey, OldKey oldKey) {

    /** The replacement key. */
    public record NewKey(String id, String apiKey, String keyPrefix, ApiKeyStatus status) {

        @Override
        public String toString() {
            return "NewKey[id=" + id + ", keyPrefix=" + keyPrefix + ", status=" + status.value() + "]";
        }
    }

    /** The replaced key, verifying until {@code expiresAt}. */
    public record OldKey(String id, ApiKeyStatus status, Instant deprecatedAt, Instant expiresAt) {
    }
}
