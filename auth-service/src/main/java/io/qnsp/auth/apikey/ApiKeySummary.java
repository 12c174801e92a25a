package io.qnsp.auth.apikey;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;

/** A key as lists show it; never the key itself. */
public record ApiKeySummary(String id, String keyPrefix, String name, ApiKeyStatus status, List<String> scopes,
                            long totalRequests, @Nullable Instant lastUsedAt, Instant createdAt,
                            @Nullable Instant expiresAt) {
}
