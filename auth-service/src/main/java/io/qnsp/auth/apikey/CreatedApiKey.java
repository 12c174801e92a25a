package io.qnsp.auth.apikey;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A new key, with the only copy of the key itself ({@code apiKey}) the service will ever hand out. */
public record CreatedApiKey(String id, String apiKey, String keyPrefix, String name, @Nullable String description,
                            ApiKeyStatus status, List<String> scopes, RateLimit rateLimit,
                            Map<String, Object> metadata, Instant createdAt, @Nullable Instant expiresAt) {

    @Override
    public String toString() {
        // the generated toString would print the key
        return "CreatedApiKey[id=" + id + ", keyPrefix=" + keyPrefix + ", status=" + status.value() + "]";
    }
}
