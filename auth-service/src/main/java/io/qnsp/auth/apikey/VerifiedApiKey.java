package io.qnsp.auth.apikey;

import java.time.Instant;
import java.util.List;

/**
 * A presented key that authenticates: whose it is and what it may do. The gateway may cache this until
 * {@code expiresAt} or a change notice (see {@link ApiKeyEvent}), whichever comes first.
 *
 * @param principal the identity requests with this key act as: the key id
 * @param status    {@code active}, or {@code deprecated} while a rotation's deprecation period lasts
 * @param expiresAt when the key stops verifying, {@code null} for never
 */
public record VerifiedApiKey(String keyId, String tenantId, String principal, List<String> scopes,
                             RateLimit rateLimit, ApiKeyStatus status, Instant expiresAt) {
}
