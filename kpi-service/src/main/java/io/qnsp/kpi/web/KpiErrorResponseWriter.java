package io.qnsp.kpi.web;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ApiFamilies;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.error.ErrorFamily;
import io.qnsp.common.error.ErrorResponseWriter;
import jakarta.servlet.http.HttpServletRequest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the KPI store's error codes to spec 000's table: each status answers with the table's one code
 * ({@code insufficient_scope} becomes {@code forbidden}, {@code conflict} {@code version_conflict}, …), a 4xx the
 * table does not list with {@code invalid_request} and a 5xx with {@code internal_error}; the platform's finer code
 * stays in {@code details.reason}. common-lib's KPI family spells most codes as the table does but passes others
 * through, so the narrowing is done here, where every failure of the service is written (controller advice, error
 * page, filters, Spring Security).
 */
class KpiErrorResponseWriter extends ErrorResponseWriter {

    static final String REASON = "reason";

    KpiErrorResponseWriter(ApiFamilies families) {
        super(families);
    }

    @Override
    public Map<String, Object> body(HttpServletRequest request, ApiError error) {
        return super.body(request, family(request) == ErrorFamily.KPI ? narrowed(error) : error);
    }

    /** The error with spec 000's code for its status. */
    static ApiError narrowed(ApiError error) {
        String code = tableCode(error.status().value());
        String spelled = ErrorFamily.KPI.code(error.code());
        if (code.equals(spelled)) {
            return error;
        }
        Map<String, Object> details = new LinkedHashMap<>(error.details());
        details.putIfAbsent(REASON, error.code());
        return new ApiError(error.status(), code, error.message(), details);
    }

    /** Spec 000's error model: one code per status. */
    static String tableCode(int status) {
        return switch (status) {
            case 401 -> ErrorCodes.UNAUTHORIZED;
            case 403 -> ErrorCodes.FORBIDDEN;
            case 404 -> ErrorCodes.NOT_FOUND;
            case 409 -> KpiApi.VERSION_CONFLICT;
            case 429 -> ErrorCodes.RATE_LIMITED;
            case 503 -> "dependency_down";
            default -> status >= 500 ? ErrorCodes.INTERNAL_ERROR : ErrorCodes.INVALID_REQUEST;
        };
    }
}
