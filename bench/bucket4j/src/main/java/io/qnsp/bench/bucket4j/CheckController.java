package io.qnsp.bench.bucket4j;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.concurrent.TimeUnit;

/** The check: spends {@code cost} tokens of the API key's bucket, 200 when admitted, 429 with Retry-After when not. */
@RestController
class CheckController {

    /** {@code cost} defaults to 1. */
    record CheckRequest(String apiKey, Integer cost) {
    }

    record CheckResponse(boolean allowed, long remainingTokens) {
    }

    private final ProxyManager<String> buckets;
    private final BucketConfiguration configuration;
    private final String keyPrefix;

    CheckController(ProxyManager<String> buckets, BucketConfiguration configuration, BucketSettings settings) {
        this.buckets = buckets;
        this.configuration = configuration;
        this.keyPrefix = settings.keyPrefix();
    }

    @PostMapping("/v1/check")
    ResponseEntity<CheckResponse> check(@RequestBody CheckRequest request) {
        if (request.apiKey() == null || request.apiKey().isBlank() || (request.cost() != null && request.cost() < 1)) {
            return ResponseEntity.badRequest().build();
        }
        long cost = request.cost() == null ? 1 : request.cost();
        ConsumptionProbe probe = buckets.builder().build(keyPrefix + request.apiKey(), configuration)
                .tryConsumeAndReturnRemaining(cost);
        CheckResponse body = new CheckResponse(probe.isConsumed(), probe.getRemainingTokens());
        if (probe.isConsumed()) {
            return ResponseEntity.ok(body);
        }
        long retryAfterSeconds = Math.max(1, ceilSeconds(probe.getNanosToWaitForRefill()));
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header("Retry-After", Long.toString(retryAfterSeconds))
                .body(body);
    }

    private static long ceilSeconds(long nanos) {
        long second = TimeUnit.SECONDS.toNanos(1);
        return nanos / second + (nanos % second == 0 ? 0 : 1);
    }
}
