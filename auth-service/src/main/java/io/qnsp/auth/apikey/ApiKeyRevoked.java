package io.qnsp.auth.apikey;

import java.time.Instant;
import java.util.UUID;

/** A key was revoked (deleted): it fails verification from {@code revokedAt} on. */
public record ApiKeyRevoked(UUID eventId, Instant occurredAt, String keyId, String tenantId, Instant revokedAt)
        implements ApiKeyEvent {

    @Override
    public String change() {
        return "revoked";
    }
}
