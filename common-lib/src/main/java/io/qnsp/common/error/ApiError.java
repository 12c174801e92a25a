package io.qnsp.common.error;

import org.springframework.http.HttpStatusCode;

import java.util.Map;

/**
 * One failure as the platform reports it, before an {@link ErrorFamily} gives it its API's shape.
 *
 * @param status  the HTTP status
 * @param code    a canonical code from {@link ErrorCodes} or an {@link ApiException}'s own code, lower_snake_case
 * @param message a message safe to show the caller: never a secret, never an internal exception's text
 * @param details extra non-secret facts, e.g. {@code field} and {@code fields} for validation failures
 */
public record ApiError(HttpStatusCode status, String code, String message, Map<String, Object> details) {

    public ApiError {
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }

    public static ApiError of(HttpStatusCode status, String code, String message) {
        return new ApiError(status, code, message, Map.of());
    }

    /** The error an {@link ApiException} describes. */
    public static ApiError of(ApiException exception) {
        return new ApiError(exception.status(), exception.code(), exception.getMessage(), exception.details());
    }
}
