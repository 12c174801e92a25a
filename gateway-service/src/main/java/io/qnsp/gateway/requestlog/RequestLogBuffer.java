package io.qnsp.gateway.requestlog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.qnsp.common.events.RequestLogEvent;
import io.qnsp.common.redis.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Holds request-log events in a bounded queue and sends them to the Redis stream {@code <prefix>events:request-log}
 * from one background thread. Recording never blocks and never fails: an event that finds the queue full, or whose
 * batch Redis refuses, is dropped and counted in {@code qnsp.gateway.request_log.dropped}.
 */
class RequestLogBuffer implements SmartLifecycle {

    static final String DROPPED = "qnsp.gateway.request_log.dropped";
    static final String PUBLISHED = "qnsp.gateway.request_log.published";

    // the outbox relay's field names, so one consumer library reads both
    static final String EVENT_ID = "eventId";
    static final String TYPE = "type";
    static final String OCCURRED_AT = "occurredAt";
    static final String PAYLOAD = "payload";

    private static final Logger log = LoggerFactory.getLogger(RequestLogBuffer.class);
    private static final long POLL_MILLIS = 200;
    private static final long STOP_MILLIS = 5_000;
    // each command has the Redis command timeout; this only bounds a batch whose answers never arrive
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final BlockingQueue<RequestLogEvent> queue;
    private final ReactiveStringRedisTemplate redis;
    private final String streamKey;
    private final RequestLogProperties properties;
    private final JsonMapper json = JsonMapper.shared();
    private final Counter droppedFull;
    private final Counter droppedRedis;
    private final Counter published;

    private volatile Thread drainer;
    private volatile boolean running;
    // touched only by the drainer thread
    private boolean outage;

    RequestLogBuffer(ReactiveStringRedisTemplate redis, RedisKeys keys, RequestLogProperties properties,
                     MeterRegistry meters) {
        this.queue = new ArrayBlockingQueue<>(properties.bufferSize());
        this.redis = redis;
        this.streamKey = keys.key("events:" + RequestLogEvent.STREAM);
        this.properties = properties;
        this.droppedFull = Counter.builder(DROPPED).tag("reason", "buffer_full")
                .description("Request-log events dropped instead of sent to Redis")
                .register(meters);
        this.droppedRedis = Counter.builder(DROPPED).tag("reason", "redis_unavailable")
                .description("Request-log events dropped instead of sent to Redis")
                .register(meters);
        this.published = Counter.builder(PUBLISHED)
                .description("Request-log events sent to Redis")
                .register(meters);
        Gauge.builder("qnsp.gateway.request_log.buffered", queue, BlockingQueue::size)
                .description("Request-log events waiting in memory")
                .register(meters);
    }

    /** Queues the event for sending; drops it when the queue is full. Never blocks, never throws. */
    void record(RequestLogEvent event) {
        if (!queue.offer(event)) {
            droppedFull.increment();
        }
    }

    /** Sends what is queued, batch by batch, until the queue is empty or Redis refuses a batch. */
    void drain() {
        List<RequestLogEvent> batch = new ArrayList<>(properties.batchSize());
        while (queue.drainTo(batch, properties.batchSize()) > 0) {
            if (!send(batch)) {
                return;
            }
            batch.clear();
        }
    }

    /**
     * Sends one batch: every XADD is written at once on the shared connection (so they travel pipelined, in order)
     * and the batch waits for all the answers. On failure the batch is dropped and counted.
     */
    private boolean send(List<RequestLogEvent> batch) {
        try {
            XAddOptions options = XAddOptions.maxlen(properties.streamMaxLength()).approximateTrimming(true);
            Flux.fromIterable(batch)
                    .flatMapSequential(event -> redis.opsForStream()
                            .add(StreamRecords.newRecord().in(streamKey).ofMap(fields(event)), options), batch.size())
                    .then()
                    .block(SEND_TIMEOUT);
            published.increment(batch.size());
            if (outage) {
                outage = false;
                log.info("Request log reaches Redis again");
            }
            return true;
        } catch (RuntimeException e) {
            droppedRedis.increment(batch.size());
            if (!outage) {
                outage = true;
                Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
                log.warn("Request log cannot reach Redis; events are dropped and counted in {} until it is back: {}",
                        DROPPED, cause.getClass().getSimpleName() + ": " + cause.getMessage());
            }
            return false;
        }
    }

    private Map<String, String> fields(RequestLogEvent event) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(EVENT_ID, event.eventId().toString());
        fields.put(TYPE, RequestLogEvent.class.getName());
        fields.put(OCCURRED_AT, event.timestamp().toString());
        fields.put(PAYLOAD, json.writeValueAsString(event));
        return fields;
    }

    private void run() {
        while (running) {
            try {
                RequestLogEvent first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<RequestLogEvent> batch = new ArrayList<>(properties.batchSize());
                batch.add(first);
                queue.drainTo(batch, properties.batchSize() - 1);
                if (send(batch)) {
                    drain();
                } else {
                    pause(properties.retryInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Request log drainer failed, continuing: {}", e.toString());
            }
        }
        // events recorded by the last requests of a graceful shutdown still go out
        drain();
    }

    /** Waits, in short steps so that {@link #stop()} is not held up by a long retry interval. */
    private void pause(long millis) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while (running && (left = until - System.nanoTime()) > 0) {
            Thread.sleep(Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        }
    }

    @Override
    public synchronized void start() {
        if (drainer != null) {
            return;
        }
        running = true;
        drainer = Thread.ofPlatform().name("qnsp-request-log").daemon(true).start(this::run);
    }

    @Override
    public synchronized void stop() {
        Thread stopping = drainer;
        if (stopping == null) {
            return;
        }
        running = false;
        try {
            stopping.join(STOP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainer = null;
    }

    @Override
    public boolean isRunning() {
        return drainer != null;
    }

    @Override
    public int getPhase() {
        // below the web server's phases: stopped only after in-flight requests have finished and been recorded
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
