package io.qnsp.audit.requestlog;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Map;

/**
 * One request with every field spec 003 documents. The gateway never records query strings, headers or bodies
 * (they carry secrets), so {@code queryParams} and {@code headers} are empty and {@code body} and
 * {@code responseBody} are {@code null}; the user agent is kept in its own field.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RequestLogDetails(String id, String apiKeyId, String method, String path,
                                Map<String, String> queryParams, Map<String, String> headers, Object body,
                                int statusCode, Object responseBody, long durationMs, String ipAddress,
                                String userAgent, boolean rateLimited, Instant timestamp, String requestId) {
}
