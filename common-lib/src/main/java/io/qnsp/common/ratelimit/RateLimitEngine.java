package io.qnsp.common.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.qnsp.common.ratelimit.RateLimitProperties.RedisFailureMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Everything in a rate-limit decision except the Redis call itself: validation, the denial memory, the Redis
 * availability, the failure modes and the metrics. A limiter asks {@link #beforeRedis}; when that returns null it runs
 * {@link TokenBucketScript} once and reports {@link #redisAnswered} or {@link #redisFailed}. Blocking and reactive
 * limiters share it. Thread-safe.
 */
final class RateLimitEngine {

    static final String DECISIONS = "qnsp.ratelimit.decisions";
    static final String REDIS_SCRIPT = "qnsp.ratelimit.redis.script";

    private static final Logger log = LoggerFactory.getLogger(RateLimitEngine.class);

    private final RedisFailureMode failureMode;
    private final Duration retryInterval;
    private final LongSupplier clock;
    private final DenialMemory denials;
    private final LocalBuckets localBuckets;
    private final RedisAvailability availability;
    private final Map<RateLimitDecision.Source, Counter> allowed = new EnumMap<>(RateLimitDecision.Source.class);
    private final Map<RateLimitDecision.Source, Counter> denied = new EnumMap<>(RateLimitDecision.Source.class);
    private final Counter unavailable;
    private final Timer redisAnswered;
    private final Timer redisFailed;

    /**
     * @param clock local monotonic nanos ({@code System::nanoTime}); injectable so tests can move time
     */
    RateLimitEngine(RateLimitProperties properties, MeterRegistry registry, LongSupplier clock) {
        this.failureMode = properties.redisFailureMode();
        this.retryInterval = properties.redisRetryInterval();
        this.clock = clock;
        this.denials = new DenialMemory(properties.denialMemorySize());
        this.localBuckets = new LocalBuckets(properties.localBucketsSize());
        this.availability = new RedisAvailability(properties.redisRetryInterval());
        for (RateLimitDecision.Source source : RateLimitDecision.Source.values()) {
            allowed.put(source, decisionCounter(registry, "allowed", tag(source)));
            denied.put(source, decisionCounter(registry, "denied", tag(source)));
        }
        this.unavailable = decisionCounter(registry, "unavailable", "fail_closed");
        this.redisAnswered = redisTimer(registry, "success");
        this.redisFailed = redisTimer(registry, "failure");
    }

    /** Local monotonic nanos; a limiter reads it just before sending to Redis. */
    long now() {
        return clock.getAsLong();
    }

    /**
     * Validates the request and decides it without Redis when it can: a remembered denial, or the failure mode while
     * Redis is being skipped after a failure.
     *
     * @param sentAt {@link #now()} taken before the Redis call would be sent
     * @return the decision, or null when the limiter must call Redis
     * @throws IllegalArgumentException for a blank bucket id, missing limits, or a cost outside 1..capacity
     * @throws RateLimiterUnavailable   when Redis is being skipped and the failure mode is {@code fail-closed}
     */
    RateLimitDecision beforeRedis(String bucketId, BucketLimits limits, long cost, long sentAt) {
        validate(bucketId, limits, cost);
        RateLimitDecision remembered = denials.check(bucketId, limits, cost, sentAt);
        if (remembered != null) {
            return counted(remembered);
        }
        if (availability.shouldCall(sentAt)) {
            return null;
        }
        return fallback(bucketId, limits, cost, sentAt);
    }

    /**
     * Validates the request and answers with the denial the local memory proves, without Redis and without the
     * failure mode: how a request against several buckets learns that one of them will deny before it takes a
     * token from any of them.
     *
     * @return the counted denial, or null when no remembered denial rules the request out
     * @throws IllegalArgumentException as {@link #beforeRedis}
     */
    RateLimitDecision rememberedDenial(String bucketId, BucketLimits limits, long cost, long now) {
        validate(bucketId, limits, cost);
        RateLimitDecision remembered = denials.check(bucketId, limits, cost, now);
        return remembered == null ? null : counted(remembered);
    }

    /**
     * Validates a look at a bucket and answers it without Redis while Redis is being skipped after a failure. A
     * look is not a decision: it is not counted and it ignores the denial memory, whose numbers are only bounds.
     *
     * @return the bucket's state, or null when the limiter must run the script with cost 0
     * @throws IllegalArgumentException for a blank bucket id or missing limits
     * @throws RateLimiterUnavailable   when Redis is being skipped and the failure mode is {@code fail-closed}
     */
    RateLimitDecision beforePeek(String bucketId, BucketLimits limits, long now) {
        validate(bucketId, limits, 1);
        if (availability.shouldCall(now)) {
            return null;
        }
        return peekFallback(bucketId, limits, now);
    }

    /** The script answered a look (cost 0): the bucket's state, with what one more request would get. */
    RateLimitDecision peekAnswered(BucketLimits limits, TokenBucketScript.Reply reply, long sentAt, long callNanos) {
        redisAnswered.record(callNanos, TimeUnit.NANOSECONDS);
        if (availability.recordSuccess(sentAt)) {
            localBuckets.clear();
            log.info("Redis answers rate-limit checks again; buckets are shared across instances again");
        }
        return state(limits, reply.tokens(), Duration.of(reply.resetMicros(), ChronoUnit.MICROS),
                RateLimitDecision.Source.REDIS);
    }

    /**
     * The script failed for a look: the failure mode answers it, and Redis is skipped for the retry interval.
     *
     * @throws RateLimiterUnavailable when the failure mode is {@code fail-closed}
     */
    RateLimitDecision peekFailed(String bucketId, BucketLimits limits, Throwable failure, long callNanos) {
        redisFailed.record(callNanos, TimeUnit.NANOSECONDS);
        long now = clock.getAsLong();
        if (availability.recordFailure(now)) {
            logOutage(failure);
        }
        return peekFallback(bucketId, limits, now);
    }

    /** The script answered: remember a denial from the moment the request was sent. */
    RateLimitDecision redisAnswered(String bucketId, BucketLimits limits, TokenBucketScript.Reply reply, long sentAt,
                                    long callNanos) {
        redisAnswered.record(callNanos, TimeUnit.NANOSECONDS);
        if (availability.recordSuccess(sentAt)) {
            // Redis holds the shared state again; a later outage starts from full local buckets
            localBuckets.clear();
            log.info("Redis answers rate-limit checks again; buckets are shared across instances again");
        }
        if (!reply.allowed()) {
            denials.remember(bucketId, limits, reply.tokens(), sentAt);
        }
        return counted(reply.toDecision(limits));
    }

    /**
     * The Redis call failed, whatever the exception: apply the failure mode to this request and skip Redis for the
     * retry interval. Logs the start of an outage once, without a stack trace.
     *
     * @throws RateLimiterUnavailable when the failure mode is {@code fail-closed}
     */
    RateLimitDecision redisFailed(String bucketId, BucketLimits limits, long cost, Throwable failure, long callNanos) {
        redisFailed.record(callNanos, TimeUnit.NANOSECONDS);
        long now = clock.getAsLong();
        if (availability.recordFailure(now)) {
            logOutage(failure);
        }
        return fallback(bucketId, limits, cost, now);
    }

    private void logOutage(Throwable failure) {
        log.warn("Rate limiting cannot use Redis ({}); failure mode {} decides until Redis answers, retried every {} ms",
                describe(failure), failureMode.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                retryInterval.toMillis());
    }

    private static void validate(String bucketId, BucketLimits limits, long cost) {
        if (bucketId == null || bucketId.isBlank()) {
            throw new IllegalArgumentException("bucketId must not be blank");
        }
        if (limits == null) {
            throw new IllegalArgumentException("limits are required");
        }
        if (cost < 1 || cost > limits.capacity()) {
            throw new IllegalArgumentException("cost must be between 1 and the bucket's capacity " + limits.capacity());
        }
    }

    private RateLimitDecision peekFallback(String bucketId, BucketLimits limits, long now) {
        return switch (failureMode) {
            // nothing is counted while Redis is away, so the bucket is as good as full
            case FAIL_OPEN -> state(limits, limits.capacity(), Duration.ZERO, RateLimitDecision.Source.FAIL_OPEN);
            case FAIL_CLOSED -> throw new RateLimiterUnavailable();
            case LOCAL -> {
                double tokens = localBuckets.peek(bucketId, limits, now);
                yield state(limits, tokens, Duration.ofNanos(Refill.nanosUntil(tokens, limits.capacity(),
                        limits.tokensPerSecond())), RateLimitDecision.Source.LOCAL_BUCKET);
            }
        };
    }

    /** A bucket's state as a decision for one more token: allowed when a whole token is there. */
    private static RateLimitDecision state(BucketLimits limits, double tokens, Duration resetIn,
                                           RateLimitDecision.Source source) {
        boolean allowed = tokens >= 1;
        return new RateLimitDecision(allowed, Refill.whole(tokens, limits.capacity()), limits.capacity(), resetIn,
                allowed ? Duration.ZERO : Duration.ofNanos(Refill.nanosUntil(tokens, 1, limits.tokensPerSecond())),
                source);
    }

    boolean redisDown() {
        return availability.isDown();
    }

    private RateLimitDecision fallback(String bucketId, BucketLimits limits, long cost, long now) {
        return switch (failureMode) {
            case FAIL_OPEN -> counted(new RateLimitDecision(true, limits.capacity() - cost, limits.capacity(),
                    Duration.ofNanos(Refill.nanosUntil(limits.capacity() - cost, limits.capacity(),
                            limits.tokensPerSecond())),
                    Duration.ZERO, RateLimitDecision.Source.FAIL_OPEN));
            case FAIL_CLOSED -> {
                unavailable.increment();
                throw new RateLimiterUnavailable();
            }
            case LOCAL -> counted(localBuckets.tryConsume(bucketId, limits, cost, now));
        };
    }

    private RateLimitDecision counted(RateLimitDecision decision) {
        (decision.allowed() ? allowed : denied).get(decision.source()).increment();
        return decision;
    }

    private static String describe(Throwable failure) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
        String described = failure.getClass().getSimpleName();
        if (cause != failure) {
            described += " caused by " + cause.getClass().getSimpleName();
        }
        return cause.getMessage() == null ? described : described + ": " + cause.getMessage();
    }

    private static String tag(RateLimitDecision.Source source) {
        return source.name().toLowerCase(Locale.ROOT);
    }

    private static Counter decisionCounter(MeterRegistry registry, String outcome, String source) {
        return Counter.builder(DECISIONS)
                .description("Rate-limit decisions by outcome and by what decided them")
                .tag("outcome", outcome)
                .tag("source", source)
                .register(registry);
    }

    private static Timer redisTimer(MeterRegistry registry, String outcome) {
        return Timer.builder(REDIS_SCRIPT)
                .description("Round trips of the token-bucket script to Redis")
                .tag("outcome", outcome)
                .register(registry);
    }
}
