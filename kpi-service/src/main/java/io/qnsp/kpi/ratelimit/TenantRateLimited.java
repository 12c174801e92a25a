package io.qnsp.kpi.ratelimit;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant spent its requests of this endpoint for now: 429 {@code rate_limited}. */
class TenantRateLimited extends ApiException {

    TenantRateLimited(String endpoint, double requestsPerSecond, long burst, long retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, ErrorCodes.RATE_LIMITED, "Too many requests to this endpoint for the "
                + "tenant; retry after " + retryAfterSeconds + " s", Map.of("endpoint", endpoint,
                "requestsPerSecond", requestsPerSecond, "burst", burst, "retryAfter", retryAfterSeconds));
    }
}
