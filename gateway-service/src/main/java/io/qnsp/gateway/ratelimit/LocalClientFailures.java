package io.qnsp.gateway.ratelimit;

import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counts in this instance's memory: what decides while Redis cannot be reached and the engine's failure mode is
 * {@code local}. Bounded: when it holds {@code maxSize} clients it starts afresh, as a pause is a defence, not a
 * record.
 */
final class LocalClientFailures implements ClientFailures {

    private final GatewayRateLimitProperties.ClientFailures settings;
    private final Clock clock;
    private final int maxSize;
    private final Map<String, Count> counts = new ConcurrentHashMap<>();

    LocalClientFailures(GatewayRateLimitProperties.ClientFailures settings, Clock clock, int maxSize) {
        this.settings = settings;
        this.clock = clock;
        this.maxSize = maxSize;
    }

    @Override
    public Mono<Duration> pause(String clientId) {
        Count count = counts.get(clientId);
        long left = count == null ? 0 : count.pausedUntil() - clock.millis();
        return Mono.just(left > 0 ? Duration.ofMillis(left) : Duration.ZERO);
    }

    @Override
    public Mono<Duration> failed(String clientId) {
        if (counts.size() >= maxSize && !counts.containsKey(clientId)) {
            counts.clear();
        }
        long now = clock.millis();
        Count count = counts.compute(clientId, (id, before) -> (before == null ? Count.NONE : before)
                .failed(now, settings));
        long pause = count.pausedUntil() - now;
        return Mono.just(pause > 0 ? Duration.ofMillis(pause) : Duration.ZERO);
    }

    @Override
    public Mono<Void> succeeded(String clientId) {
        counts.remove(clientId);
        return Mono.empty();
    }
}
