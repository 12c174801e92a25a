package io.qnsp.common.ratelimit;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import io.qnsp.common.redis.RedisKeys;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntConsumer;

/**
 * Runs the reactive limiter's script calls with at most one on its way to Redis at a time: a request that comes
 * while a call is out waits, and when that call returns, everything that waited goes out together as one batch
 * ({@link TokenBucketScript}, at most {@link #MAX_REQUESTS_PER_CALL} requests a call). Under load many decisions
 * thus share one round trip, one command to encode and parse and one script run; a request that finds nothing out
 * goes at once, as a call of its own, so a quiet limiter answers as fast as before. The requests of a batch are
 * decided in the order they came, as separate calls would be; each gets its own reply, and a failed call fails every
 * request it carried. The next batch is sent before the replies of the last one are handed out, so Redis is never
 * idle while callers are answered.
 * <p>
 * A request asked for on a Netty event loop (a gateway's or the decision server's connection) gets its reply on
 * that event loop, not on the Redis client's one thread: what the caller does next (the engine's bookkeeping, the
 * rest of a gateway's filter chain and the proxied call) stays spread over the event loops that served the requests
 * instead of queuing on that thread. The replies of one call are handed to each event loop as one task. Thread-safe.
 */
final class CoalescedScriptCalls {

    /** Requests in one script call at most; more wait for the next call. */
    static final int MAX_REQUESTS_PER_CALL = 128;
    static final String BATCH_SIZE = "qnsp.ratelimit.redis.batch";

    /** A request, and the event loop it was asked for on ({@code null} when it was asked for on another thread). */
    private record Pending(TokenBucketScript.Call call, MonoSink<TokenBucketScript.Reply> sink, EventExecutor home) {
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
            Pending pending = new Pending(new TokenBucketScript.Call(buckets, cost), sink,
                    ThreadExecutorMap.currentExecutor());
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
            handOut(batch, i -> batch.get(i).sink().error(failure));
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
            handOut(batch, i -> batch.get(i).sink().error(e));
            return;
        }
        handOut(batch, i -> batch.get(i).sink().success(replies.get(i)));
    }

    /**
     * Answers every request of {@code batch} ({@code answer} takes its index), each on the event loop it was asked
     * for on: at once for the requests whose event loop is this thread or that have none, as one task per other event
     * loop for the rest, in the order they came. An event loop that shuts down and refuses the task gets its answers
     * here instead, so no caller is left without one.
     */
    private static void handOut(List<Pending> batch, IntConsumer answer) {
        List<EventExecutor> homes = null;
        List<List<Integer>> elsewhere = null;
        for (int i = 0; i < batch.size(); i++) {
            EventExecutor home = batch.get(i).home();
            if (home == null || home.inEventLoop()) {
                answer.accept(i);
                continue;
            }
            if (homes == null) {
                homes = new ArrayList<>(2);
                elsewhere = new ArrayList<>(2);
            }
            int at = homes.indexOf(home);
            if (at < 0) {
                homes.add(home);
                elsewhere.add(new ArrayList<>());
                at = homes.size() - 1;
            }
            elsewhere.get(at).add(i);
        }
        for (int h = 0; homes != null && h < homes.size(); h++) {
            List<Integer> indexes = elsewhere.get(h);
            Runnable answerAll = () -> indexes.forEach(answer::accept);
            try {
                homes.get(h).execute(answerAll);
            } catch (RejectedExecutionException e) {
                answerAll.run();
            }
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
