package io.qnsp.audit.requestlog;

import java.time.Instant;

/** One request in a list, as spec 003 shows it, plus the request's {@code X-Request-Id}. */
public record RequestLogSummary(String id, String apiKeyId, String method, String path, int statusCode,
                                long durationMs, String ipAddress, boolean rateLimited, Instant timestamp,
                                String requestId) {
}
