package io.qnsp.gateway.authentication;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * A request the gateway cannot authenticate: no credentials, credentials that are invalid, or auth-service not
 * answering. Carries the error to answer with; never the credentials.
 */
final class AuthenticationFailed extends RuntimeException {

    private final ApiError error;
    private final HttpHeaders headers;

    private AuthenticationFailed(ApiError error, HttpHeaders headers) {
        super(error.code(), null, false, false);
        this.error = error;
        this.headers = headers;
    }

    /** 401, DataHub {@code MISSING_API_KEY}. */
    static AuthenticationFailed missing() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return new AuthenticationFailed(ApiError.of(HttpStatus.UNAUTHORIZED, ErrorCodes.UNAUTHORIZED,
                "Authentication is required: an API key (X-API-Key) or a bearer token"), headers);
    }

    /** 401, DataHub {@code INVALID_API_KEY}: unknown, malformed, revoked or expired key, or a bad JWT. */
    static AuthenticationFailed invalid() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        return new AuthenticationFailed(ApiError.of(HttpStatus.UNAUTHORIZED, ErrorCodes.INVALID_TOKEN,
                "The API key or bearer token is invalid, expired or revoked"), headers);
    }

    /** 503: auth-service, which the decision needs, did not answer usefully. Not the caller's fault. */
    static AuthenticationFailed unavailable() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "1");
        return new AuthenticationFailed(new ApiError(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.SERVICE_UNAVAILABLE,
                "Authentication is temporarily unavailable; retry shortly", Map.of("dependency", "auth-service")),
                headers);
    }

    ApiError error() {
        return error;
    }

    HttpHeaders headers() {
        return headers;
    }
}
