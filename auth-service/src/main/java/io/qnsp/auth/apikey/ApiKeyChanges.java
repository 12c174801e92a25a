package io.qnsp.auth.apikey;

import java.util.List;
import java.util.Map;

/**
 * Changes to a key; {@code null} leaves a field as it is. An empty description removes it; metadata replaces the
 * whole object ({@code {}} removes all); rate-limit windows left out keep their values.
 */
public record ApiKeyChanges(String name, String description, List<String> scopes, Map<String, Object> metadata,
                            RateLimitRequest rateLimit) {
}
