package io.qnsp.auth.apikey;

import java.time.Instant;
import java.util.UUID;

/** A key was rotated: it is deprecated, replaced by {@code replacedBy}, and verifies only until {@code expiresAt}. */
public record ApiKeyRotated(UUID eventId, Instant occurredAt, String keyId, String tenantId, String replacedBy,
                            Instant expiresAt) implements ApiKeyEvent {

    @Override
    public String change() {
        return "rotated";
    }
}
