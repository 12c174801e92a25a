package io.qnsp.gateway.ratelimit;

import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * The token endpoint's refusals per client id and the pause they impose (see
 * {@link GatewayRateLimitProperties.ClientFailures}): after {@code maxFailures} refusals within the window, a pause of
 * {@code backoff}, doubled by each further refusal up to {@code maxBackoff}.
 */
interface ClientFailures {

    /** How long the client's token requests are still refused; zero when they are not. */
    Mono<Duration> pause(String clientId);

    /** Counts a refusal; the answer is the pause it starts, zero while the client is below the limit. */
    Mono<Duration> failed(String clientId);

    /** A token was issued: the count starts again. */
    Mono<Void> succeeded(String clientId);

    /**
     * One client's count, for the stores that keep it as a whole: how many refusals since {@code since}, and until
     * when its token requests are refused (epoch millis).
     */
    record Count(int failures, long since, long pausedUntil) {

        static final Count NONE = new Count(0, 0, 0);

        /** The count after one more refusal at {@code now}, as {@code RedisClientFailures}' script computes it. */
        Count failed(long now, GatewayRateLimitProperties.ClientFailures settings) {
            long window = settings.window().toMillis();
            int counted = failures;
            // below the limit the window runs from the first refusal; past it, from the end of the last pause
            if (counted < settings.maxFailures() ? now - since >= window : now - pausedUntil >= window) {
                counted = 0;
            }
            long start = counted == 0 ? now : since;
            counted++;
            long pause = pause(counted, settings);
            return new Count(counted, start, pause > 0 ? now + pause : pausedUntil);
        }

        /** The pause the {@code failures}-th refusal starts: none below the limit, then doubling up to the cap. */
        static long pause(int failures, GatewayRateLimitProperties.ClientFailures settings) {
            if (failures < settings.maxFailures()) {
                return 0;
            }
            int doublings = Math.min(failures - settings.maxFailures(), 40);
            double pause = settings.backoff().toMillis() * Math.pow(2, doublings);
            return (long) Math.min(settings.maxBackoff().toMillis(), pause);
        }
    }
}
