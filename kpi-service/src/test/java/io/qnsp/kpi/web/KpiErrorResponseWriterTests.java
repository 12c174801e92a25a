package io.qnsp.kpi.web;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ApiFamilies;
import io.qnsp.common.error.ErrorFamily;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every failure the platform can raise is answered with the code spec 000's table gives its status. */
class KpiErrorResponseWriterTests {

    final KpiErrorResponseWriter writer = new KpiErrorResponseWriter(new ApiFamilies(ErrorFamily.KPI, Map.of()));
    final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/storage/kpi/query");

    @Test
    void finerCodesBecomeTheTablesAndStayInTheDetails() {
        Object[][] cases = {
                {HttpStatus.FORBIDDEN, "insufficient_scope", "forbidden"},
                {HttpStatus.FORBIDDEN, "addon_required", "forbidden"},
                {HttpStatus.CONFLICT, "conflict", "version_conflict"},
                {HttpStatus.TOO_MANY_REQUESTS, "quota_exceeded", "rate_limited"},
                {HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "invalid_request"},
                {HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", "invalid_request"},
                {HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "invalid_request"},
                {HttpStatus.NOT_ACCEPTABLE, "not_acceptable", "invalid_request"},
                {HttpStatus.SERVICE_UNAVAILABLE, "rate_limiter_unavailable", "dependency_down"},
                {HttpStatus.BAD_GATEWAY, "bad_gateway", "internal_error"}};
        for (Object[] c : cases) {
            Map<String, Object> body = writer.body(request, new ApiError((HttpStatus) c[0], (String) c[1], "m",
                    Map.of("field", "body")));
            assertThat(body.get("error")).as("%s", c[1]).isEqualTo(c[2]);
            assertThat(body.get("details")).isEqualTo(Map.of("field", "body", "reason", c[1]));
        }
    }

    @Test
    void theTablesOwnCodesPassUnchanged() {
        for (Object[] c : new Object[][]{{HttpStatus.BAD_REQUEST, "invalid_request"},
                {HttpStatus.UNAUTHORIZED, "unauthorized"}, {HttpStatus.UNAUTHORIZED, "invalid_token"},
                {HttpStatus.NOT_FOUND, "not_found"}, {HttpStatus.CONFLICT, "version_conflict"},
                {HttpStatus.TOO_MANY_REQUESTS, "rate_limited"}, {HttpStatus.INTERNAL_SERVER_ERROR, "internal_error"},
                {HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable"}}) {
            Map<String, Object> body = writer.body(request, new ApiError((HttpStatus) c[0], (String) c[1], "m",
                    Map.of()));
            assertThat(body.get("details")).as("%s", c[1]).isEqualTo(Map.of());
            assertThat(List.of("invalid_request", "unauthorized", "not_found", "version_conflict", "rate_limited",
                    "internal_error", "dependency_down")).contains((String) body.get("error"));
        }
    }
}
