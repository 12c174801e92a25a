package io.qnsp.auth.apikey;

import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Instant;
import java.util.Locale;

/**
 * Where a key is in its life. {@code active} and {@code deprecated} keys verify; a deprecated key (replaced by a
 * rotation) only until its {@code expiresAt}. {@code expired} is never stored: a key is expired once its
 * {@code expiresAt} has passed.
 */
public enum ApiKeyStatus {
    ACTIVE, DEPRECATED, REVOKED, EXPIRED;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status a key with this stored status and expiry has at {@code now}. */
    static ApiKeyStatus effective(ApiKeyStatus stored, Instant expiresAt, Instant now) {
        if (stored == REVOKED) {
            return REVOKED;
        }
        return expiresAt != null && !expiresAt.isAfter(now) ? EXPIRED : stored;
    }

    boolean verifies() {
        return this == ACTIVE || this == DEPRECATED;
    }
}
