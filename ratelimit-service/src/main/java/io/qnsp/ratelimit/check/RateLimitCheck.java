package io.qnsp.ratelimit.check;

import io.qnsp.common.ratelimit.RateLimitDecision;
import io.qnsp.common.ratelimit.RateLimiter;
import io.qnsp.ratelimit.apikey.ActiveKey;
import io.qnsp.ratelimit.apikey.ApiKeyDirectory;
import io.qnsp.ratelimit.usage.UsageCounters;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Decides whether a presented key may spend {@code cost} tokens now, and counts the decision. */
@Service
public class RateLimitCheck {

    private final ApiKeyDirectory directory;
    private final RateLimiter limiter;
    private final UsageCounters counters;
    private final Clock clock;

    RateLimitCheck(ApiKeyDirectory directory, RateLimiter limiter, UsageCounters counters, Optional<Clock> clock) {
        this.directory = directory;
        this.limiter = limiter;
        this.counters = counters;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    public RateLimitDecision check(String apiKey, int cost) {
        ActiveKey key = directory.lookup(apiKey).filter(ActiveKey::active).orElseThrow(InvalidApiKey::new);
        if (cost > key.limits().burstCapacity()) {
            throw new CostAboveBurst(key.limits().burstCapacity());
        }
        RateLimitDecision decision = limiter.tryConsume(key.keyId().toString(), key.limits().bucket(), cost);
        counters.record(key.keyId(), decision.allowed(), Instant.now(clock));
        return decision;
    }
}
