package io.qnsp.common.error;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The API families of the specification, each with its own error body; chosen per service by
 * {@code qnsp.errors.family}.
 */
public enum ErrorFamily {

    /**
     * QNSP services (spec 002):
     * {@code {"statusCode":400,"error":"BAD_REQUEST","message":…,"details":{…},"requestId":…,"timestamp":…}}.
     * Codes are upper snake case, as in the spec's example; a validation failure is {@code BAD_REQUEST}.
     */
    QNSP {
        @Override
        public String code(String canonical) {
            return switch (canonical) {
                case ErrorCodes.INVALID_REQUEST -> "BAD_REQUEST";
                case ErrorCodes.INVALID_TOKEN -> "UNAUTHORIZED";
                default -> upper(canonical);
            };
        }

        @Override
        public Map<String, Object> body(ApiError error, String requestId, Instant timestamp) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("statusCode", error.status().value());
            body.put("error", code(error.code()));
            body.put("message", error.message());
            body.put("details", error.details());
            body.put("requestId", requestId);
            body.put("timestamp", timestamp.toString());
            return body;
        }
    },

    /**
     * DataHub gateway APIs (spec 003):
     * {@code {"success":false,"error":{"code":"VALIDATION_ERROR","message":…,"details":{…}},"meta":{"requestId":…,"timestamp":…}}}
     * with the spec's codes ({@code MISSING_API_KEY}, {@code INVALID_API_KEY}, {@code INSUFFICIENT_SCOPE},
     * {@code NOT_FOUND}, {@code VALIDATION_ERROR}, {@code RATE_LIMIT_EXCEEDED}, {@code INTERNAL_ERROR}).
     */
    DATAHUB {
        @Override
        public String code(String canonical) {
            return switch (canonical) {
                case ErrorCodes.INVALID_REQUEST -> "VALIDATION_ERROR";
                case ErrorCodes.UNAUTHORIZED -> "MISSING_API_KEY";
                case ErrorCodes.INVALID_TOKEN -> "INVALID_API_KEY";
                case ErrorCodes.RATE_LIMITED -> "RATE_LIMIT_EXCEEDED";
                default -> upper(canonical);
            };
        }

        @Override
        public Map<String, Object> body(ApiError error, String requestId, Instant timestamp) {
            Map<String, Object> inner = new LinkedHashMap<>();
            inner.put("code", code(error.code()));
            inner.put("message", error.message());
            inner.put("details", error.details());
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("requestId", requestId);
            meta.put("timestamp", timestamp.toString());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("success", false);
            body.put("error", inner);
            body.put("meta", meta);
            return body;
        }
    },

    /**
     * KPI store (spec 000): {@code {"error":"invalid_request","message":…,"details":{…},"requestId":…}} with the
     * spec's lower-case codes ({@code invalid_request}, {@code unauthorized}, {@code forbidden}, {@code not_found},
     * {@code rate_limited}, {@code internal_error}, {@code dependency_down}).
     */
    KPI {
        @Override
        public String code(String canonical) {
            return switch (canonical) {
                case ErrorCodes.INVALID_TOKEN -> ErrorCodes.UNAUTHORIZED;
                case ErrorCodes.SERVICE_UNAVAILABLE -> "dependency_down";
                default -> canonical;
            };
        }

        @Override
        public Map<String, Object> body(ApiError error, String requestId, Instant timestamp) {
            return flat(code(error.code()), error, requestId);
        }
    },

    /** Rate-limit service (spec 001): {@code {"error":"invalid_request","message":…,"details":{…},"requestId":…}}. */
    RATELIMIT {
        @Override
        public String code(String canonical) {
            return ErrorCodes.INVALID_TOKEN.equals(canonical) ? ErrorCodes.UNAUTHORIZED : canonical;
        }

        @Override
        public Map<String, Object> body(ApiError error, String requestId, Instant timestamp) {
            return flat(code(error.code()), error, requestId);
        }
    };

    /** This family's spelling of a canonical code. */
    public abstract String code(String canonical);

    /** The error body, as a JSON-ready map in the family's field order. */
    public abstract Map<String, Object> body(ApiError error, String requestId, Instant timestamp);

    private static String upper(String code) {
        return code.toUpperCase(Locale.ROOT);
    }

    private static Map<String, Object> flat(String code, ApiError error, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", error.message());
        body.put("details", error.details());
        body.put("requestId", requestId);
        return body;
    }
}
