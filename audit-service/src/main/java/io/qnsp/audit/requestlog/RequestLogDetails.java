package io.qnsp.audit.requestlog;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;

/**
 * One request with every field spec 003 documents. The gateway never records query strings, headers or bodies
 * (they carry secrets), so {@code queryParams} and {@code headers} are empty and {@code body} and
 * {@code responseBody} are {@code null}; the user agent is kept in its own field. {@code apiKeyId} is {@code null}
 * for requests not made with an API key; address, user agent and request id when the gateway had none.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RequestLogDetails(String id, @Nullable String apiKeyId, String method, String path,
                                Map<String, String> queryParams, Map<String, String> headers, @Nullable Object body,
                                int statusCode, @Nullable Object responseBody, long durationMs,
                                @Nullable String ipAddress, @Nullable String userAgent, boolean rateLimited,
                                Instant timestamp, @Nullable String requestId) {
}
