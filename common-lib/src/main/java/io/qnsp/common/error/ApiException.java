package io.qnsp.common.error;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * A failure the caller can act on: domain code throws a subclass named as a fact (e.g. {@code ApiKeyNotFound})
 * and the platform's error handler renders it in the API family's error format. Messages must never contain
 * secrets or API keys.
 */
public abstract class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final Map<String, Object> details;

    protected ApiException(HttpStatus status, String code, String message) {
        this(status, code, message, Map.of());
    }

    protected ApiException(HttpStatus status, String code, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = Map.copyOf(details);
    }

    /** The HTTP status to answer with. */
    public HttpStatus status() {
        return status;
    }

    /** A stable machine-readable code, lower_snake_case. */
    public String code() {
        return code;
    }

    /** Extra, non-secret facts for the caller (e.g. the offending field). */
    public Map<String, Object> details() {
        return details;
    }

    /**
     * Headers the answer needs besides the body (e.g. {@code Retry-After} on a 503); every transport that answers an
     * {@code ApiException} sends them. None unless a subclass says so.
     */
    public HttpHeaders headers() {
        return HttpHeaders.EMPTY;
    }
}
