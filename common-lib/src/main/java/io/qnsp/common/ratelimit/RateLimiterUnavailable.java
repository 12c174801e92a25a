package io.qnsp.common.ratelimit;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

import java.time.Duration;

/**
 * Redis, which holds the buckets, cannot be reached and the configured failure mode is to refuse. The answer (503)
 * carries {@code Retry-After}: {@code qnsp.ratelimit.unavailable-retry-after}, in whole seconds.
 */
public class RateLimiterUnavailable extends ApiException {

    /** The {@code Retry-After} of a refusal whose engine settings are not at hand. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(2);

    private final long retryAfterSeconds;

    public RateLimiterUnavailable() {
        this(DEFAULT_RETRY_AFTER);
    }

    public RateLimiterUnavailable(Duration retryAfter) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "rate_limiter_unavailable",
                "Rate limiting is temporarily unavailable; retry shortly");
        this.retryAfterSeconds = Math.max(1, Math.ceilDiv(retryAfter.toMillis(), 1000));
    }

    /** Whole seconds, at least 1, after which the caller may try again. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    @Override
    public HttpHeaders headers() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        return HttpHeaders.readOnlyHttpHeaders(headers);
    }
}
