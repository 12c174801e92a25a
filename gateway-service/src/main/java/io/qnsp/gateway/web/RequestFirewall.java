package io.qnsp.gateway.web;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;

import java.util.Map;
import java.util.Set;

/**
 * Refuses requests whose path could mean one thing here and another at a service, the rules of Spring Security's
 * strict firewall, which guarded the gateway while its filter chain ran: a method other than the seven standard ones,
 * a path that is not normalized ({@code .} or {@code ..} segments, {@code //}), or one holding a semicolon, a
 * backslash, a character that is not printable ASCII, or an encoded slash, period, percent, semicolon, backslash,
 * null or line break. The caller gets 400 {@code invalid_request} in the path's family naming the field; a request
 * target longer than {@link #MAX_REQUEST_TARGET} gets 414. One pass over the raw path; nothing is decoded or copied.
 */
final class RequestFirewall {

    private static final Set<HttpMethod> ALLOWED_METHODS = Set.of(HttpMethod.DELETE, HttpMethod.GET, HttpMethod.HEAD,
            HttpMethod.OPTIONS, HttpMethod.PATCH, HttpMethod.POST, HttpMethod.PUT);

    static final ApiError METHOD = rejection("method", "The request method is not allowed");
    static final ApiError NOT_NORMALIZED = rejection("path",
            "The request path is not normalized: it holds '.' or '..' segments or an empty segment ('//')");
    static final ApiError SEMICOLON = rejection("path", "The request path must not contain a semicolon");
    static final ApiError BACKSLASH = rejection("path", "The request path must not contain a backslash");
    static final ApiError NOT_PRINTABLE = rejection("path",
            "The request path must contain printable ASCII characters only");
    static final ApiError ENCODED = rejection("path",
            "The request path must not contain an encoded slash, period, percent, semicolon, backslash, null or line"
                    + " break");

    /**
     * The longest request target (raw path and query) passed on, what the HTTP server allowed until it was told to
     * read longer lines ({@code server.netty.max-initial-line-length}) so that a longer target gets this answer in
     * the path's family instead of the server's bare 414 and a closed connection, which a client still sending its
     * body saw as a reset without any answer.
     */
    static final int MAX_REQUEST_TARGET = 4096;
    static final ApiError TOO_LONG = new ApiError(HttpStatus.URI_TOO_LONG, ErrorCodes.INVALID_REQUEST,
            "The request target (path and query) is longer than " + MAX_REQUEST_TARGET + " characters",
            Map.of("field", "path", "limit", MAX_REQUEST_TARGET));

    private RequestFirewall() {
    }

    private static ApiError rejection(String field, String message) {
        return new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST, message, Map.of("field", field));
    }

    /** Why the request is refused, or {@code null} when it passes. */
    static ApiError check(ServerHttpRequest request) {
        if (!ALLOWED_METHODS.contains(request.getMethod())) {
            return METHOD;
        }
        String path = request.getPath().value();
        String query = request.getURI().getRawQuery();
        if (path.length() + (query == null ? 0 : query.length() + 1) > MAX_REQUEST_TARGET) {
            return TOO_LONG;
        }
        return checkPath(path);
    }

    /** The rules for a raw (still encoded) path. */
    static ApiError checkPath(String path) {
        int length = path.length();
        int segmentStart = 0;
        for (int i = 0; i < length; i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return NOT_PRINTABLE;
            }
            switch (c) {
                case ';' -> {
                    return SEMICOLON;
                }
                case '\\' -> {
                    return BACKSLASH;
                }
                case '%' -> {
                    if (forbiddenEscape(path, i)) {
                        return ENCODED;
                    }
                }
                case '/' -> {
                    if (i > 0 && !normalSegment(path, segmentStart, i)) {
                        return NOT_NORMALIZED;
                    }
                    segmentStart = i + 1;
                }
                default -> {
                }
            }
        }
        return segmentStart < length && !normalSegment(path, segmentStart, length) ? NOT_NORMALIZED : null;
    }

    /** A segment between two slashes: not empty (which {@code //} makes), not {@code .}, not {@code ..}. */
    private static boolean normalSegment(String path, int start, int end) {
        int length = end - start;
        if (length == 0) {
            return false;
        }
        if (length == 1) {
            return path.charAt(start) != '.';
        }
        return length != 2 || path.charAt(start) != '.' || path.charAt(start + 1) != '.';
    }

    private static boolean forbiddenEscape(String path, int percent) {
        if (percent + 2 >= path.length()) {
            return false;
        }
        char high = path.charAt(percent + 1);
        char low = Character.toLowerCase(path.charAt(percent + 2));
        return switch (high) {
            case '0' -> low == '0' || low == 'a' || low == 'd';
            case '2' -> low == 'f' || low == 'e' || low == '5';
            case '3' -> low == 'b';
            case '5' -> low == 'c';
            default -> false;
        };
    }
}
