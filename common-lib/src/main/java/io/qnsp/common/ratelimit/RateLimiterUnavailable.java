package io.qnsp.common.ratelimit;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** Redis, which holds the buckets, cannot be reached and the configured failure mode is to refuse. */
public class RateLimiterUnavailable extends ApiException {

    public RateLimiterUnavailable() {
        super(HttpStatus.SERVICE_UNAVAILABLE, "rate_limiter_unavailable",
                "Rate limiting is temporarily unavailable; retry shortly");
    }
}
