package io.qnsp.auth.apikey;

import java.time.Instant;

/** A revoked key: it fails verification since {@code revokedAt}. */
public record RevokedApiKey(String id, ApiKeyStatus status, Instant revokedAt) {
}
