package io.qnsp.common.ratelimit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.qnsp.common.redis.RedisKeys;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the reactive limiter's script calls with at most one on its way to Redis at a time: a request that comes
 * while a call is out waits, and when that call returns, everything that waited goes out together as one batch
 * ({@link TokenBucketScript}, at most {@link #MAX_REQUESTS_PER_CALL} requests a call). Under load many decisions
 * thus share one round trip, one command to encode and parse and one script run; a request that finds nothing out
 * goes at once, as a call of its own, so a quiet limiter answers as fast as before. The requests of a batch are
 * decided in the order they came, as separate calls would be; each gets its own reply, and a failed call fails every
 * request it carried. The next batch is sent before the replies of the last one are handed out, so Redis is never
 * idle while callers are answered. Thread-safe.
 */
final class CoalescedScriptCalls {

    /** Requests in one script call at most; more wait for the next call. */
    static final int MAX_REQUESTS_PER_CALL = 128;
    static final String BATCH_SIZE = "qnsp.ratelimit.redis.batch";

    private record Pending(TokenBucketScript.Call call, MonoSink<TokenBucketScript.Reply> sink) {
    }

    private final ReactiveStringRedisTemplate redis;
    private final RedisKeys keys;
    private final DistributionSummary batchSizes;
    /** Requests waiting for the call that is out; guards {@link #sending} too. */
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private boolean sending;

    CoalescedScriptCalls(ReactiveStringRedisTemplate redis, RedisKeys keys, MeterRegistry registry) {
        this.redis = redis;
        this.keys = keys;
        this.batchSizes = DistributionSummary.builder(BATCH_SIZE)
                .description("Rate-limit decisions sent to Redis in one script call")
                .baseUnit("decisions")
                .register(registry);
    }

    /** The script's reply for one request, sent alone or with the requests that wait beside it. */
    Mono<TokenBucketScript.Reply> call(List<RateLimitBucket> buckets, long cost) {
        return Mono.create(sink -> {
            Pending pending = new Pending(new TokenBucketScript.Call(buckets, cost), sink);
            synchronized (waiting) {
                if (sending) {
                    waiting.add(pending);
                    return;
                }
                sending = true;
            }
            send(List.of(pending));
        });
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private void send(List<Pending> batch) {
        batchSizes.record(batch.size());
        List<TokenBucketScript.Call> calls = calls(batch);
        Flux<Object> values;
        try {
            if (calls.size() == 1) {
                TokenBucketScript.Call call = calls.getFirst();
                values = (Flux) redis.execute(TokenBucketScript.SCRIPT, TokenBucketScript.keys(keys, call.buckets()),
                        List.of(TokenBucketScript.arguments(call.buckets(), call.cost())));
            } else {
                values = (Flux) redis.execute(TokenBucketScript.SCRIPT, TokenBucketScript.batchKeys(keys, calls),
                        TokenBucketScript.batchArguments(calls));
            }
        } catch (RuntimeException e) {
            returned(batch, calls, null, e);
            return;
        }
        values.collectList().subscribe(list -> returned(batch, calls, list, null),
                failure -> returned(batch, calls, null, failure));
    }

    private void returned(List<Pending> batch, List<TokenBucketScript.Call> calls, List<Object> values,
                          Throwable failure) {
        sendWaiting();
        if (failure != null) {
            batch.forEach(pending -> pending.sink().error(failure));
            return;
        }
        // Lettuce emits a multi-bulk reply element by element; a single list is accepted too
        Object reply = values.size() == 1 && values.getFirst() instanceof List<?> inner ? inner : values;
        List<TokenBucketScript.Reply> replies;
        try {
            replies = calls.size() == 1
                    ? List.of(TokenBucketScript.parse(reply, calls.getFirst().buckets().size()))
                    : TokenBucketScript.parseBatch(reply, calls);
        } catch (IllegalStateException e) {
            batch.forEach(pending -> pending.sink().error(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).sink().success(replies.get(i));
        }
    }

    /** Sends what waited as the next call, or notes that nothing is out any more. */
    private void sendWaiting() {
        List<Pending> next;
        synchronized (waiting) {
            if (waiting.isEmpty()) {
                sending = false;
                return;
            }
            next = new ArrayList<>(Math.min(waiting.size(), MAX_REQUESTS_PER_CALL));
            while (!waiting.isEmpty() && next.size() < MAX_REQUESTS_PER_CALL) {
                next.add(waiting.poll());
            }
        }
        send(next);
    }

    private static List<TokenBucketScript.Call> calls(List<Pending> batch) {
        List<TokenBucketScript.Call> calls = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            calls.add(pending.call());
        }
        return calls;
    }
}
