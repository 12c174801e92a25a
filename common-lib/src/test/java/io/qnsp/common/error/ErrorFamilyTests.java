package io.qnsp.common.error;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each family's error body, field by field, and its spelling of the canonical codes. */
class ErrorFamilyTests {

    static final Instant NOW = Instant.parse("2025-10-05T10:30:00.123Z");
    static final ApiError VALIDATION = new ApiError(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST,
            "Validation failed: cost must be an integer", Map.of("field", "cost"));

    @Test
    void qnspBodyIsFlatWithStatusCodeRequestIdAndTimestamp() {
        Map<String, Object> body = ErrorFamily.QNSP.body(VALIDATION, "req-1", NOW);

        assertThat(body).containsExactly(
                Map.entry("statusCode", 400),
                Map.entry("error", "BAD_REQUEST"),
                Map.entry("message", "Validation failed: cost must be an integer"),
                Map.entry("details", Map.of("field", "cost")),
                Map.entry("requestId", "req-1"),
                Map.entry("timestamp", "2025-10-05T10:30:00.123Z"));
    }

    @Test
    void datahubBodyIsTheFailureEnvelope() {
        Map<String, Object> body = ErrorFamily.DATAHUB.body(VALIDATION, "req-1", NOW);

        assertThat(body).containsExactly(
                Map.entry("success", false),
                Map.entry("error", Map.of("code", "VALIDATION_ERROR",
                        "message", "Validation failed: cost must be an integer", "details", Map.of("field", "cost"))),
                Map.entry("meta", Map.of("requestId", "req-1", "timestamp", "2025-10-05T10:30:00.123Z")));
    }

    @Test
    void kpiAndRatelimitBodiesCarryTheLowerCaseCode() {
        for (ErrorFamily family : new ErrorFamily[]{ErrorFamily.KPI, ErrorFamily.RATELIMIT}) {
            assertThat(family.body(VALIDATION, "req-1", NOW)).containsExactly(
                    Map.entry("error", "invalid_request"),
                    Map.entry("message", "Validation failed: cost must be an integer"),
                    Map.entry("details", Map.of("field", "cost")),
                    Map.entry("requestId", "req-1"));
        }
    }

    @Test
    void datahubUsesItsDocumentedCodes() {
        assertThat(ErrorFamily.DATAHUB.code(ErrorCodes.UNAUTHORIZED)).isEqualTo("MISSING_API_KEY");
        assertThat(ErrorFamily.DATAHUB.code(ErrorCodes.INVALID_TOKEN)).isEqualTo("INVALID_API_KEY");
        assertThat(ErrorFamily.DATAHUB.code(ErrorCodes.INSUFFICIENT_SCOPE)).isEqualTo("INSUFFICIENT_SCOPE");
        assertThat(ErrorFamily.DATAHUB.code(ErrorCodes.NOT_FOUND)).isEqualTo("NOT_FOUND");
        assertThat(ErrorFamily.DATAHUB.code(ErrorCodes.RATE_LIMITED)).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(ErrorFamily.DATAHUB.code(ErrorCodes.INTERNAL_ERROR)).isEqualTo("INTERNAL_ERROR");
    }

    @Test
    void kpiUsesItsDocumentedCodes() {
        assertThat(ErrorFamily.KPI.code(ErrorCodes.INVALID_TOKEN)).isEqualTo("unauthorized");
        assertThat(ErrorFamily.KPI.code(ErrorCodes.RATE_LIMITED)).isEqualTo("rate_limited");
        assertThat(ErrorFamily.KPI.code(ErrorCodes.SERVICE_UNAVAILABLE)).isEqualTo("dependency_down");
        assertThat(ErrorFamily.KPI.code("version_conflict")).isEqualTo("version_conflict");
    }

    @Test
    void qnspUpperCasesServiceCodes() {
        assertThat(ErrorFamily.QNSP.code("key_not_found")).isEqualTo("KEY_NOT_FOUND");
        assertThat(ErrorFamily.QNSP.code(ErrorCodes.INVALID_TOKEN)).isEqualTo("UNAUTHORIZED");
    }
}
