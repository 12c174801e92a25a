package io.qnsp.kpi.ratelimit;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * Redis, which holds the tenants' rate-limit buckets, cannot be reached and the engine is set to refuse meanwhile
 * ({@code qnsp.ratelimit.redis-failure-mode: fail-closed}): 503 {@code dependency_down}.
 */
class RateLimitsUnavailable extends ApiException {

    RateLimitsUnavailable() {
        super(HttpStatus.SERVICE_UNAVAILABLE, ErrorCodes.SERVICE_UNAVAILABLE,
                "Rate limiting is temporarily unavailable; retry shortly", Map.of("dependency", "redis"));
    }
}
