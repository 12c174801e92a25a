package io.qnsp.auth.apikey;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A key with everything known about it except the key itself.
 *
 * @param totalRequests verified uses, including this instance's not yet flushed ones
 * @param createdBy     the principal that created the key
 * @param rotatedFrom   the key this one replaced in a rotation, if any
 * @param replacedBy    the key that replaced this one in a rotation, if any
 */
public record ApiKeyDetails(String id, String keyPrefix, String name, @Nullable String description,
                            ApiKeyStatus status, List<String> scopes, RateLimit rateLimit,
                            Map<String, Object> metadata, long totalRequests, @Nullable Instant lastUsedAt,
                            Instant createdAt, Instant updatedAt, @Nullable Instant expiresAt, String createdBy,
                            @Nullable Instant deprecatedAt, @Nullable Instant revokedAt, @Nullable String rotatedFrom,
                            @Nullable String replacedBy) {
}
