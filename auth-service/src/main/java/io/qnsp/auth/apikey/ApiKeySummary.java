package io.qnsp.auth.apikey;

import java.time.Instant;
import java.util.List;

/** A key as lists show it; never the key itself. */
public record ApiKeySummary(String id, String keyPrefix, String name, ApiKeyStatus status, List<String> scopes,
                            long totalRequests, Instant lastUsedAt, Instant createdAt, Instant expiresAt) {
}
