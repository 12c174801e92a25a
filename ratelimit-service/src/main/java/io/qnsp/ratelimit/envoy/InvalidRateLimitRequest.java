package io.qnsp.ratelimit.envoy;

/** A {@code ShouldRateLimit} request that breaks the protocol's rules; the message names the field. */
final class InvalidRateLimitRequest extends RuntimeException {

    InvalidRateLimitRequest(String message) {
        super(message, null, false, false);
    }
}
