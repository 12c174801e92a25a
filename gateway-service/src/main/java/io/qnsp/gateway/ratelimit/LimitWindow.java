package io.qnsp.gateway.ratelimit;

import io.qnsp.common.ratelimit.BucketLimits;
import io.qnsp.common.ratelimit.RateLimitBucket;

import java.time.Duration;

/**
 * A window of a caller's limit: {@code limit} requests per {@code length}, as a token bucket that refills evenly.
 * {@link #TENANT_MINUTE} is not the caller's own: it is shared by every caller of the tenant.
 */
enum LimitWindow {

    MINUTE("m", Duration.ofMinutes(1)),
    HOUR("h", Duration.ofHours(1)),
    DAY("d", Duration.ofDays(1)),
    /** the tenant-wide window ({@code qnsp.gateway.rate-limit.tenant-total}), in a bucket of the tenant's */
    TENANT_MINUTE("m", Duration.ofMinutes(1));

    private final String suffix;
    private final Duration length;

    LimitWindow(String suffix, Duration length) {
        this.suffix = suffix;
        this.length = length;
    }

    /** The bucket for {@code limit} requests in this window: full at {@code limit}, refilled over the window. */
    RateLimitBucket bucket(String owner, long limit) {
        return new RateLimitBucket(owner + ":" + suffix,
                new BucketLimits(limit, (double) limit / length.toSeconds()));
    }
}
