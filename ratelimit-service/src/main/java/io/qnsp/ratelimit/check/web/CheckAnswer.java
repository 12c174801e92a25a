package io.qnsp.ratelimit.check.web;

import io.qnsp.common.ratelimit.RateLimitDecision;
import org.springframework.http.HttpStatus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A decision as both transports answer it: 200 or 429, the {@code X-RateLimit-*} headers (and {@code Retry-After}
 * on 429) and the body.
 *
 * @param retryAfterSeconds seconds until the asked cost can be admitted, at least 1; 0 when admitted
 */
record CheckAnswer(HttpStatus status, CheckResponse body, long retryAfterSeconds) {

    /** The body of a decision, allowed or not (a denial's body is the check's result, not an error). */
    record CheckResponse(boolean allowed, long remainingTokens, long limit, long resetInSeconds) {
    }

    static CheckAnswer of(RateLimitDecision decision) {
        CheckResponse body = new CheckResponse(decision.allowed(), decision.remainingTokens(), decision.limit(),
                ceilSeconds(decision.resetIn()));
        return decision.allowed()
                ? new CheckAnswer(HttpStatus.OK, body, 0)
                : new CheckAnswer(HttpStatus.TOO_MANY_REQUESTS, body,
                Math.max(1, ceilSeconds(decision.retryAfter())));
    }

    /** The answer's headers besides content type, length and request id, in the order they are sent. */
    Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>(8);
        headers.put("X-RateLimit-Limit", Long.toString(body.limit()));
        headers.put("X-RateLimit-Remaining", Long.toString(body.remainingTokens()));
        headers.put("X-RateLimit-Reset", Long.toString(body.resetInSeconds()));
        if (retryAfterSeconds > 0) {
            headers.put("Retry-After", Long.toString(retryAfterSeconds));
        }
        return headers;
    }

    /** The body as JSON, as Spring MVC writes the record (booleans and numbers only, so nothing to escape). */
    byte[] json() {
        return ("{\"allowed\":" + body.allowed() + ",\"remainingTokens\":" + body.remainingTokens()
                + ",\"limit\":" + body.limit() + ",\"resetInSeconds\":" + body.resetInSeconds() + "}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static long ceilSeconds(Duration duration) {
        long millis = duration.toMillis();
        return millis <= 0 ? 0 : (millis + 999) / 1000;
    }
}
