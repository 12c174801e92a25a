package io.qnsp.gateway.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The security headers every answer carries, the same ones and with the same values as Spring Security's defaults
 * (which the gateway no longer runs per request): no caching, no content sniffing, no framing, the browser's XSS
 * auditor off, no referrer, and HSTS over HTTPS. Like Spring Security, a header the answer already has (a service
 * set it) is left as it is; the three caching headers count as one, and a 304 gets none of them.
 */
final class SecurityHeaders {

    static final String CACHE_CONTROL = "no-cache, no-store, max-age=0, must-revalidate";
    static final String CONTENT_TYPE_OPTIONS = "X-Content-Type-Options";
    static final String FRAME_OPTIONS = "X-Frame-Options";
    static final String XSS_PROTECTION = "X-XSS-Protection";
    static final String REFERRER_POLICY = "Referrer-Policy";
    static final String STRICT_TRANSPORT_SECURITY = "Strict-Transport-Security";

    private SecurityHeaders() {
    }

    static void writeTo(HttpHeaders headers, HttpStatusCode status, ServerHttpRequest request) {
        if (status == null || status.value() != HttpStatus.NOT_MODIFIED.value()) {
            if (!headers.containsHeader(HttpHeaders.CACHE_CONTROL) && !headers.containsHeader(HttpHeaders.PRAGMA)
                    && !headers.containsHeader(HttpHeaders.EXPIRES)) {
                headers.set(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
                headers.set(HttpHeaders.PRAGMA, "no-cache");
                headers.set(HttpHeaders.EXPIRES, "0");
            }
        }
        setIfAbsent(headers, CONTENT_TYPE_OPTIONS, "nosniff");
        setIfAbsent(headers, FRAME_OPTIONS, "DENY");
        setIfAbsent(headers, XSS_PROTECTION, "0");
        setIfAbsent(headers, REFERRER_POLICY, "no-referrer");
        if (request.getSslInfo() != null) {
            setIfAbsent(headers, STRICT_TRANSPORT_SECURITY, "max-age=31536000 ; includeSubDomains");
        }
    }

    private static void setIfAbsent(HttpHeaders headers, String name, String value) {
        if (!headers.containsHeader(name)) {
            headers.set(name, value);
        }
    }
}
