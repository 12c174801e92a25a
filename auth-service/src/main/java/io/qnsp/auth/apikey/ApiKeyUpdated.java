package io.qnsp.auth.apikey;

import java.time.Instant;
import java.util.UUID;

/** A key's scopes or rate limits changed: a cached verification carries the old ones. */
public record ApiKeyUpdated(UUID eventId, Instant occurredAt, String keyId, String tenantId) implements ApiKeyEvent {

    @Override
    public String change() {
        return "updated";
    }
}
