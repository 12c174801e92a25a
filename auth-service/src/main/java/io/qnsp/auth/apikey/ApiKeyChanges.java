package io.qnsp.auth.apikey;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;

/**
 * Changes to a key; {@code null} leaves a field as it is. An empty description removes it; metadata replaces the
 * whole object ({@code {}} removes all); rate-limit windows left out keep their values.
 */
public record ApiKeyChanges(@Nullable String name, @Nullable String description, @Nullable List<String> scopes,
                            @Nullable Map<String, Object> metadata, @Nullable RateLimitRequest rateLimit) {
}
