package io.qnsp.ratelimit.check;

import io.qnsp.common.ratelimit.RateLimitDecision;
import io.qnsp.common.ratelimit.RateLimiter;
import io.qnsp.common.ratelimit.ReactiveRateLimiter;
import io.qnsp.ratelimit.apikey.ActiveKey;
import io.qnsp.ratelimit.apikey.ApiKeyDirectory;
import io.qnsp.ratelimit.usage.UsageCounters;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether a presented key may spend {@code cost} tokens now, and counts the decision: blocking for the
 * servlet endpoint, or without blocking the calling thread for the decision server. Both apply the same rules.
 */
@Service
public class RateLimitCheck {

    private final ApiKeyDirectory directory;
    private final RateLimiter limiter;
    private final ReactiveRateLimiter reactiveLimiter;
    private final UsageCounters counters;
    private final Clock clock;

    RateLimitCheck(ApiKeyDirectory directory, RateLimiter limiter, ReactiveRateLimiter reactiveLimiter,
                   UsageCounters counters, Optional<Clock> clock) {
        this.directory = directory;
        this.limiter = limiter;
        this.reactiveLimiter = reactiveLimiter;
        this.counters = counters;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** The decision, on the calling thread (which may block on PostgreSQL and Redis). */
    public RateLimitDecision check(String apiKey, int cost) {
        ActiveKey key = admissible(directory.lookup(apiKey), cost);
        return counted(key, limiter.tryConsume(bucketOf(key), key.limits().bucket(), cost));
    }

    /**
     * The decision without blocking the subscribing thread: a key in memory is used at once, one that must be read
     * from PostgreSQL is read on {@code lookups}; the bucket is asked through the non-blocking engine. Errors with
     * {@link InvalidApiKey}, {@link CostAboveBurst} or the engine's {@code RateLimiterUnavailable}.
     */
    public Mono<RateLimitDecision> checkAsync(String apiKey, int cost, Scheduler lookups) {
        Optional<ActiveKey> cached = directory.lookupIfCached(apiKey);
        Mono<Optional<ActiveKey>> key = cached != null ? Mono.just(cached)
                : Mono.fromCallable(() -> directory.lookup(apiKey)).subscribeOn(lookups);
        return key.flatMap(found -> {
            ActiveKey active = admissible(found, cost);
            return reactiveLimiter.tryConsume(bucketOf(active), active.limits().bucket(), cost)
                    .map(decision -> counted(active, decision));
        });
    }

    private static ActiveKey admissible(Optional<ActiveKey> found, int cost) {
        ActiveKey key = found.filter(ActiveKey::active).orElseThrow(InvalidApiKey::new);
        if (cost > key.limits().burstCapacity()) {
            throw new CostAboveBurst(key.limits().burstCapacity());
        }
        return key;
    }

    private static String bucketOf(ActiveKey key) {
        return key.keyId().toString();
    }

    private RateLimitDecision counted(ActiveKey key, RateLimitDecision decision) {
        counters.record(key.keyId(), decision.allowed(), Instant.now(clock));
        return decision;
    }
}
