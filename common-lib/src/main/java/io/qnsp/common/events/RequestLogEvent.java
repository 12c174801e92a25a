package io.qnsp.common.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.UUID;

/**
 * One API request as the gateway saw it, for the DataHub request log. Published fire-and-forget from the gateway's
 * memory (not through the outbox) on the {@link #STREAM} stream; a consumer may see a gap, never a duplicate id.
 *
 * @param timestamp   when the request arrived
 * @param path        the path the caller requested, without the query string (which may carry secrets)
 * @param statusCode  the status the caller received
 * @param durationMs  from arrival until the response was complete
 * @param keyId       the API key that authenticated the request, {@code null} for bearer tokens and anonymous calls
 * @param tenantId    the caller's tenant, {@code null} when the caller was not authenticated
 * @param ipAddress   the client address
 * @param userAgent   the {@code User-Agent} header, shortened to 512 characters
 * @param rateLimited whether the rate limiter refused the request
 * @param requestId   the request's {@code X-Request-Id}
 */
public record RequestLogEvent(UUID eventId, Instant timestamp, String method, String path, int statusCode,
                              long durationMs, String keyId, String tenantId, String ipAddress, String userAgent,
                              boolean rateLimited, String requestId) implements OutboxEvent {

    public static final String STREAM = "request-log";

    @Override
    @JsonIgnore
    public Instant occurredAt() {
        return timestamp;
    }

    @Override
    @JsonIgnore
    public String stream() {
        return STREAM;
    }
}
