package io.qnsp.common.controls;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.List;
import java.util.Map;

/** A required control refused the call. */
class ControlDenied extends ApiException {

    private ControlDenied(HttpStatus status, String code, String message, Map<String, Object> details) {
        super(status, code, message, details);
    }

    static ControlDenied adminRequired() {
        return new ControlDenied(HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN,
                "This operation requires the admin role", Map.of());
    }

    static ControlDenied roleRequired(String role) {
        return new ControlDenied(HttpStatus.FORBIDDEN, ErrorCodes.FORBIDDEN,
                "This operation requires the " + role + " role", Map.of("role", role));
    }

    static ControlDenied scopesMissing(List<String> missing) {
        return new ControlDenied(HttpStatus.FORBIDDEN, ErrorCodes.INSUFFICIENT_SCOPE,
                "The caller lacks the required scope" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing),
                Map.of("missingScopes", missing));
    }

    static ControlDenied addOnRequired(String addOn) {
        return new ControlDenied(HttpStatus.FORBIDDEN, ErrorCodes.ADDON_REQUIRED,
                "This operation requires the '" + addOn + "' add-on", Map.of("addOn", addOn));
    }

    static ControlDenied quotaExceeded(String resource, long limit, String window) {
        return new ControlDenied(HttpStatus.TOO_MANY_REQUESTS, ErrorCodes.QUOTA_EXCEEDED,
                "The quota for " + resource + " is exhausted for this period",
                Map.of("resource", resource, "limit", limit, "window", window));
    }

    static ControlDenied quotaUnavailable() {
        return new ControlDenied(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.SERVICE_UNAVAILABLE,
                "Quota accounting is temporarily unavailable; retry shortly", Map.of());
    }
}
