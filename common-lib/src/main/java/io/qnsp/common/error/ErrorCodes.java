package io.qnsp.common.error;

import org.springframework.http.HttpStatusCode;

/**
 * The platform's canonical error codes (lower_snake_case); each {@link ErrorFamily} renders them in its API's own
 * vocabulary, so code throwing an {@link ApiException} never needs to know which family it serves.
 */
public final class ErrorCodes {

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String UNAUTHORIZED = "unauthorized";
    /** credentials were presented but are invalid, expired or revoked */
    public static final String INVALID_TOKEN = "invalid_token";
    public static final String FORBIDDEN = "forbidden";
    public static final String INSUFFICIENT_SCOPE = "insufficient_scope";
    public static final String ADDON_REQUIRED = "addon_required";
    public static final String NOT_FOUND = "not_found";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    public static final String NOT_ACCEPTABLE = "not_acceptable";
    public static final String CONFLICT = "conflict";
    public static final String GONE = "gone";
    public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    public static final String UNPROCESSABLE_ENTITY = "unprocessable_entity";
    public static final String QUOTA_EXCEEDED = "quota_exceeded";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String INTERNAL_ERROR = "internal_error";
    public static final String SERVICE_UNAVAILABLE = "service_unavailable";

    private ErrorCodes() {
    }

    /** The code for a failure known only by its status. */
    public static String forStatus(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> INVALID_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 410 -> GONE;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 422 -> UNPROCESSABLE_ENTITY;
            case 429 -> RATE_LIMITED;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status.is4xxClientError() ? INVALID_REQUEST : INTERNAL_ERROR;
        };
    }

    /** A generic, non-revealing message for a failure known only by its status. */
    public static String messageForStatus(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "The request is invalid";
            case 401 -> "Authentication is required";
            case 403 -> "Access to this resource is forbidden";
            case 404 -> "The requested resource was not found";
            case 405 -> "The HTTP method is not supported for this resource";
            case 406 -> "No acceptable representation is available";
            case 409 -> "The request conflicts with the current state of the resource";
            case 410 -> "The resource is no longer available";
            case 413 -> "The request body is too large";
            case 415 -> "The request's content type is not supported";
            case 422 -> "The request could not be processed";
            case 429 -> "Too many requests";
            case 503 -> "The service is temporarily unavailable";
            default -> status.is4xxClientError() ? "The request is invalid" : "An unexpected error occurred";
        };
    }
}
