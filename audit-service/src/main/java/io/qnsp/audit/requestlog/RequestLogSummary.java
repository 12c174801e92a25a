package io.qnsp.audit.requestlog;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * One request in a list, as spec 003 shows it, plus the request's {@code X-Request-Id}.
 *
 * @param apiKeyId {@code null} for a request made without an API key (a bearer token, or none)
 */
public record RequestLogSummary(String id, @Nullable String apiKeyId, String method, String path, int statusCode,
                                long durationMs, @Nullable String ipAddress, boolean rateLimited, Instant timestamp,
                                @Nullable String requestId) {
}
