package io.qnsp.auth.apikey;

import java.time.Instant;
import java.util.UUID;

/**
 * A key's {@code expiresAt} has passed: its own expiry, or the end of its deprecation period after a rotation
 * ({@code deprecated} true). Announced within {@code qnsp.auth.api-keys.expiry-sweep-interval} of {@code expiredAt};
 * verification refuses the key from {@code expiredAt} on regardless.
 */
public record ApiKeyExpired(UUID eventId, Instant occurredAt, String keyId, String tenantId, Instant expiredAt,
                            boolean deprecated) implements ApiKeyEvent {

    @Override
    public String change() {
        return "expired";
    }
}
