package io.qnsp.gateway.web;

import io.qnsp.common.web.WebRequestProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.List;

/**
 * What the gateway accepts at its edge.
 *
 * @param maxRequestBody the largest request body accepted; larger ones are answered 413 {@code payload_too_large}
 * @param pathLimits     other limits for the paths they name (object uploads, which the gateway streams through to
 *                       storage-service): the first entry whose pattern matches sets the limit instead
 * @param cors           cross-origin access for browser clients such as the admin dashboard
 */
@ConfigurationProperties("qnsp.gateway")
public record EdgeProperties(@DefaultValue("1MB") DataSize maxRequestBody,
                             @DefaultValue List<WebRequestProperties.PathLimit> pathLimits, @DefaultValue Cors cors) {

    public EdgeProperties {
        if (maxRequestBody == null || maxRequestBody.toBytes() < 0) {
            throw new IllegalArgumentException("qnsp.gateway.max-request-body must not be negative");
        }
    }

    /**
     * Cross-origin settings.
     *
     * @param allowedOrigins   origins allowed to call the gateway from a browser, e.g. {@code https://admin.example.com}
     * @param allowedMethods   methods those origins may use
     * @param exposedHeaders   response headers their scripts may read
     * @param allowCredentials whether browsers may send cookies; the platform's credentials are headers, so no
     * @param maxAge           how long browsers may cache a preflight answer
     */
    public record Cors(@DefaultValue("http://localhost:3000") List<String> allowedOrigins,
                       @DefaultValue({"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) List<String> allowedMethods,
                       @DefaultValue({"X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                               "X-RateLimit-Reset", "Retry-After"}) List<String> exposedHeaders,
                       @DefaultValue("false") boolean allowCredentials,
                       @DefaultValue("1h") Duration maxAge) {
    }
}
