package io.qnsp.kpi.idempotency;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.web.RequestIds;
import io.qnsp.kpi.web.KpiApi;
import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * The request's {@code X-Request-Id} cannot be honoured: it was used for a different request, or the same request
 * is being served right now. 409 {@code version_conflict}, with {@code details.reason} telling the two apart.
 */
class RequestIdConflict extends ApiException {

    static final String DIFFERENT_REQUEST = "request_id_reused";
    static final String IN_PROGRESS = "request_in_progress";

    private RequestIdConflict(String message, String reason) {
        super(HttpStatus.CONFLICT, KpiApi.VERSION_CONFLICT, message,
                Map.of("field", RequestIds.HEADER, "reason", reason));
    }

    static RequestIdConflict differentRequest() {
        return new RequestIdConflict("This X-Request-Id was used for a different request; use a new id",
                DIFFERENT_REQUEST);
    }

    static RequestIdConflict inProgress() {
        return new RequestIdConflict("A request with this X-Request-Id is still being served; retry shortly",
                IN_PROGRESS);
    }
}
