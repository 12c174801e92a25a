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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Everything in a rate-limit decision except the Redis call itself: validation, the denial memory, the Redis
 * availability, the failure modes, the choice of the governing decision and the metrics. A decision covers one
 * request against one or more buckets, all-or-nothing. A limiter asks {@link #beforeRedis}; when that returns null
 * it runs {@link TokenBucketScript} once for all the buckets and reports {@link #redisAnswered} or
 * {@link #redisFailed}. Each decision is counted once, whatever the number of buckets. Blocking and reactive limiters
 * share it. Thread-safe.
 */
final class RateLimitEngine {

    static final String DECISIONS = "qnsp.ratelimit.decisions";
    static final String REDIS_SCRIPT = "qnsp.ratelimit.redis.script";

    private static final Logger log = LoggerFactory.getLogger(RateLimitEngine.class);

    private final RedisFailureMode failureMode;
    private final Duration retryInterval;
    private final Duration unavailableRetryAfter;
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
        this.unavailableRetryAfter = properties.unavailableRetryAfter();
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
     * Validates a request against its buckets and decides it without Redis when it can: a remembered denial of any of
     * them, or the failure mode while Redis is being skipped after a failure. A remembered denial answers before the
     * failure mode and charges no bucket.
     *
     * @param sentAt {@link #now()} taken before the Redis call would be sent
     * @return the decision (counted once), or null when the limiter must run the script for all the buckets
     * @throws IllegalArgumentException for no buckets, a repeated bucket id, or a cost outside 1..the smallest capacity
     * @throws RateLimiterUnavailable   when Redis is being skipped and the failure mode is {@code fail-closed}
     */
    RateLimitDecision beforeRedis(List<RateLimitBucket> buckets, long cost, long sentAt) {
        validate(buckets, cost);
        List<RateLimitDecision> remembered = null;
        for (RateLimitBucket bucket : buckets) {
            RateLimitDecision denial = denials.check(bucket.id(), bucket.limits(), cost, sentAt);
            if (denial != null) {
                if (remembered == null) {
                    remembered = new ArrayList<>(buckets.size());
                }
                remembered.add(denial);
            }
        }
        if (remembered != null) {
            return counted(governing(remembered));
        }
        if (availability.shouldCall(sentAt)) {
            return null;
        }
        return fallback(buckets, cost, sentAt);
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
        validate(List.of(new RateLimitBucket(bucketId, limits)), 1);
        if (availability.shouldCall(now)) {
            return null;
        }
        return peekFallback(bucketId, limits, now);
    }

    /** The script answered a look (cost 0): the bucket's state, with what one more request would get. */
    RateLimitDecision peekAnswered(BucketLimits limits, TokenBucketScript.Reply reply, long sentAt, long callNanos) {
        answered(sentAt, callNanos);
        TokenBucketScript.BucketReply bucket = reply.buckets().getFirst();
        return state(limits, bucket.tokens(), Duration.of(bucket.resetMicros(), ChronoUnit.MICROS),
                RateLimitDecision.Source.REDIS);
    }

    /**
     * The script failed for a look: the failure mode answers it, and Redis is skipped for the retry interval.
     *
     * @throws RateLimiterUnavailable when the failure mode is {@code fail-closed}
     */
    RateLimitDecision peekFailed(String bucketId, BucketLimits limits, Throwable failure, long callNanos) {
        return peekFallback(bucketId, limits, failed(failure, callNanos));
    }

    /**
     * The script answered for all of a request's buckets: remember each bucket that lacked the cost, from the moment
     * the request was sent, and answer with the decision that governs.
     *
     * @param reply the script's reply, one entry per bucket in the order of {@code buckets}
     */
    RateLimitDecision redisAnswered(List<RateLimitBucket> buckets, TokenBucketScript.Reply reply, long sentAt,
                                    long callNanos) {
        answered(sentAt, callNanos);
        boolean allowed = reply.allowed();
        List<RateLimitDecision> decisions = new ArrayList<>(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            RateLimitBucket bucket = buckets.get(i);
            TokenBucketScript.BucketReply answer = reply.buckets().get(i);
            if (!answer.sufficient()) {
                denials.remember(bucket.id(), bucket.limits(), answer.tokens(), sentAt);
            }
            if (allowed || !answer.sufficient()) {
                decisions.add(answer.toDecision(bucket.limits(), allowed));
            }
        }
        return counted(governing(decisions));
    }

    /**
     * The Redis call failed, whatever the exception: apply the failure mode to this request and skip Redis for the
     * retry interval. Logs the start of an outage once, without a stack trace.
     *
     * @throws RateLimiterUnavailable when the failure mode is {@code fail-closed}
     */
    RateLimitDecision redisFailed(List<RateLimitBucket> buckets, long cost, Throwable failure, long callNanos) {
        return fallback(buckets, cost, failed(failure, callNanos));
    }

    /**
     * The decision that governs a request charged against several buckets: the denial that keeps the caller waiting
     * longest, else the admission with the fewest tokens left (the first such bucket on a tie).
     */
    static RateLimitDecision governing(List<RateLimitDecision> decisions) {
        RateLimitDecision governing = null;
        for (RateLimitDecision decision : decisions) {
            if (governing == null || governs(decision, governing)) {
                governing = decision;
            }
        }
        return governing;
    }

    private static boolean governs(RateLimitDecision candidate, RateLimitDecision current) {
        if (candidate.allowed() != current.allowed()) {
            return !candidate.allowed();
        }
        if (!candidate.allowed()) {
            return candidate.retryAfter().compareTo(current.retryAfter()) > 0;
        }
        return candidate.remainingTokens() < current.remainingTokens();
    }

    private void answered(long sentAt, long callNanos) {
        redisAnswered.record(callNanos, TimeUnit.NANOSECONDS);
        if (availability.recordSuccess(sentAt)) {
            // Redis holds the shared state again; a later outage starts from full local buckets
            localBuckets.clear();
            log.info("Redis answers rate-limit checks again; buckets are shared across instances again");
        }
    }

    /** Records a failed call and returns the time the failure mode decides at. */
    private long failed(Throwable failure, long callNanos) {
        redisFailed.record(callNanos, TimeUnit.NANOSECONDS);
        long now = clock.getAsLong();
        if (availability.recordFailure(now)) {
            logOutage(failure);
        }
        return now;
    }

    private void logOutage(Throwable failure) {
        log.warn("Rate limiting cannot use Redis ({}); failure mode {} decides until Redis answers, retried every {} ms",
                describe(failure), failureMode.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                retryInterval.toMillis());
    }

    private static void validate(List<RateLimitBucket> buckets, long cost) {
        if (buckets == null || buckets.isEmpty()) {
            throw new IllegalArgumentException("at least one bucket is required");
        }
        long smallest = Long.MAX_VALUE;
        Set<String> ids = buckets.size() > 1 ? new HashSet<>() : null;
        for (RateLimitBucket bucket : buckets) {
            if (bucket == null) {
                throw new IllegalArgumentException("a bucket must not be null");
            }
            if (ids != null && !ids.add(bucket.id())) {
                throw new IllegalArgumentException("bucket ids must differ: " + bucket.id());
            }
            smallest = Math.min(smallest, bucket.limits().capacity());
        }
        if (cost < 1 || cost > smallest) {
            throw new IllegalArgumentException(buckets.size() == 1
                    ? "cost must be between 1 and the bucket's capacity " + smallest
                    : "cost must be between 1 and the smallest capacity of the buckets, " + smallest);
        }
    }

    private RateLimitDecision peekFallback(String bucketId, BucketLimits limits, long now) {
        return switch (failureMode) {
            // nothing is counted while Redis is away, so the bucket is as good as full
            case FAIL_OPEN -> state(limits, limits.capacity(), Duration.ZERO, RateLimitDecision.Source.FAIL_OPEN);
            case FAIL_CLOSED -> throw new RateLimiterUnavailable(unavailableRetryAfter);
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

    private RateLimitDecision fallback(List<RateLimitBucket> buckets, long cost, long now) {
        return switch (failureMode) {
            case FAIL_OPEN -> {
                // nothing is counted: each bucket answers as if it were full
                List<RateLimitDecision> decisions = new ArrayList<>(buckets.size());
                for (RateLimitBucket bucket : buckets) {
                    BucketLimits limits = bucket.limits();
                    decisions.add(new RateLimitDecision(true, limits.capacity() - cost, limits.capacity(),
                            Duration.ofNanos(Refill.nanosUntil(limits.capacity() - cost, limits.capacity(),
                                    limits.tokensPerSecond())),
                            Duration.ZERO, RateLimitDecision.Source.FAIL_OPEN));
                }
                yield counted(governing(decisions));
            }
            case FAIL_CLOSED -> {
                unavailable.increment();
                throw new RateLimiterUnavailable(unavailableRetryAfter);
            }
            case LOCAL -> counted(governing(localBuckets.tryConsumeAll(buckets, cost, now)));
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
                .description("Decisions that asked Redis, from asking to the answer (decisions sharing one script call count each)")
                .tag("outcome", outcome)
                .register(registry);
    }
}
