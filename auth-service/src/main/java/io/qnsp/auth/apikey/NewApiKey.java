package io.qnsp.auth.apikey;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a caller asks for when creating a key; the rules are checked by {@link ApiKeyManagement}.
 *
 * @param name        3 to 100 characters (required)
 * @param description optional, up to 1000 characters
 * @param scopes      one or more of {@link ApiKeyScopes#KNOWN} (required)
 * @param rateLimit   optional; windows left out get the configured defaults
 * @param expiresAt   optional, in the future
 * @param metadata    optional flat JSON object
 */
public record NewApiKey(String name, @Nullable String description, List<String> scopes,
                        @Nullable RateLimitRequest rateLimit, @Nullable Instant expiresAt,
                        @Nullable Map<String, Object> metadata) {
}
