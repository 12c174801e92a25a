package io.qnsp.gateway.ratelimit;

import io.qnsp.common.ratelimit.RateLimitDecision;
import io.qnsp.gateway.web.AnswerHeaders;
import org.springframework.http.HttpHeaders;

import java.time.Clock;
import java.time.Duration;

/**
 * The {@code X-RateLimit-*} headers (spec 003) for a decision: the window's limit, the requests left in it, and the
 * Unix time (seconds) at which it is full again. Handed to the edge filter, which writes them when the answer is
 * committed, whoever commits it: the proxied answer (whose own {@code X-RateLimit-*}, if any, they replace), an
 * error, or the status endpoint.
 */
record RateLimitHeaders(long limit, long remaining, long reset) implements AnswerHeaders {

    static final String LIMIT = "X-RateLimit-Limit";
    static final String REMAINING = "X-RateLimit-Remaining";
    static final String RESET = "X-RateLimit-Reset";

    static RateLimitHeaders of(RateLimitDecision decision, Clock clock) {
        return new RateLimitHeaders(decision.limit(), decision.remainingTokens(), resetAt(decision.resetIn(), clock));
    }

    @Override
    public void writeTo(HttpHeaders headers) {
        headers.set(LIMIT, Long.toString(limit));
        headers.set(REMAINING, Long.toString(remaining));
        headers.set(RESET, Long.toString(reset));
    }

    /** Unix seconds, rounded up, at which a bucket {@code resetIn} from full is full again. */
    static long resetAt(Duration resetIn, Clock clock) {
        long millis = clock.millis() + resetIn.toMillis() + (resetIn.toNanosPart() % 1_000_000 > 0 ? 1 : 0);
        return Math.ceilDiv(millis, 1000);
    }

    /** Whole seconds, at least 1, for {@code Retry-After}. */
    static long retryAfterSeconds(Duration retryAfter) {
        long seconds = Math.ceilDiv(retryAfter.toMillis() + (retryAfter.toNanosPart() % 1_000_000 > 0 ? 1 : 0), 1000);
        return Math.max(1, seconds);
    }
}
