package io.qnsp.common.ratelimit;

/** One bucket a request is charged against: its id (unique per caller and window) and its shape. */
public record RateLimitBucket(String id, BucketLimits limits) {

    public RateLimitBucket {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a bucket id must not be blank");
        }
        if (limits == null) {
            throw new IllegalArgumentException("limits are required");
        }
    }
}
