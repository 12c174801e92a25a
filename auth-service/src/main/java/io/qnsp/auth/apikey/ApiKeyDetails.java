package io.qnsp.auth.apikey;

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
public record ApiKeyDetails(String id, String keyPrefix, String name, String description, ApiKeyStatus status,
                            List<String> scopes, RateLimit rateLimit, Map<String, Object> metadata,
                            long totalRequests, Instant lastUsedAt, Instant createdAt, Instant updatedAt,
                            Instant expiresAt, String createdBy, Instant deprecatedAt, Instant revokedAt,
                            String rotatedFrom, String replacedBy) {
}
