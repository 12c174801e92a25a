package io.qnsp.common.events;

import io.micrometer.core.instrument.MeterRegistry;
import io.qnsp.common.redis.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.RedisStreamCommands.XClaimOptions;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamInfo;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one reader thread per {@link EventStreamListener}: reads new messages with its consumer group, reclaims
 * messages left pending too long, processes each once per event id in a database transaction, acknowledges after
 * commit, and moves messages that keep failing to the stream's dead-letter stream.
 *
 * <p>Pending messages are reclaimed with {@code XPENDING … IDLE} followed by {@code XCLAIM} rather than
 * {@code XAUTOCLAIM}, because the dead-letter decision needs each message's delivery count, which only
 * {@code XPENDING} reports; {@code XCLAIM}'s minimum idle time still lets only one instance win each message.
 *
 * <p>Consumer names are per instance run. A stopped instance removes its own consumer; a crashed one cannot, so at
 * each reclaim every reader also removes the group's other consumers that have nothing pending (their messages were
 * reclaimed), have been idle longer than {@code remove-idle-after}, and whose instance has not marked itself running
 * within that time.
 */
final class EventStreamConsumers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventStreamConsumers.class);

    private static final String RECORD_CONSUMED = "INSERT INTO " + EventSchema.CONSUMED_TABLE
            + " (consumer_group, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Removes a consumer (ARGV[2]) from a group (ARGV[1]) of a stream (KEYS[1]) only if it still exists, has nothing
     * pending, has been idle at least ARGV[3] ms, and its instance's running mark (KEYS[2]) is absent; answers 1 when
     * it removed it, else 0. Checked and removed atomically: {@code XGROUP DELCONSUMER} drops the consumer's pending
     * entries with it, and a read between a separate check and the removal would lose them.
     */
    private static final RedisScript<Long> REMOVE_IF_ABANDONED = RedisScript.of("""
            if redis.call('EXISTS', KEYS[2]) == 1 then
                return 0
            end
            for _, consumer in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
                local fields = {}
                for i = 1, #consumer, 2 do
                    fields[consumer[i]] = consumer[i + 1]
                end
                if fields['name'] == ARGV[2] then
                    if fields['pending'] > 0 or fields['idle'] < tonumber(ARGV[3]) then
                        return 0
                    end
                    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
                    return 1
                end
            end
            return 0
            """, Long.class);

    private final List<EventStreamListener<?>> listeners;
    private final StringRedisTemplate redis;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final RedisKeys keys;
    private final EventsProperties properties;
    private final MeterRegistry meters;
    private final String consumerName;

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile CountDownLatch stopSignal = new CountDownLatch(0);

    EventStreamConsumers(List<EventStreamListener<?>> listeners, StringRedisTemplate redis, JdbcTemplate jdbc,
                         TransactionTemplate transactions, JsonMapper json, RedisKeys keys,
                         EventsProperties properties, MeterRegistry meters) {
        Set<String> subscriptions = new HashSet<>();
        for (EventStreamListener<?> listener : listeners) {
            // Two handlers in one group would each see only part of the stream.
            if (!subscriptions.add(listener.stream() + "\u0000" + listener.group())) {
                throw new IllegalStateException("more than one EventStreamListener for stream '" + listener.stream()
                        + "' and group '" + listener.group() + "'");
            }
        }
        this.listeners = List.copyOf(listeners);
        this.redis = redis;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.keys = keys;
        this.properties = properties;
        this.meters = meters;
        String host = System.getenv("HOSTNAME");
        this.consumerName = (host == null || host.isBlank() ? "qnsp" : host) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        stopSignal = new CountDownLatch(1);
        for (EventStreamListener<?> listener : listeners) {
            Reader reader = new Reader(listener);
            threads.add(Thread.ofVirtual()
                    .name("qnsp-events-" + listener.stream() + "-" + listener.group())
                    .start(reader::run));
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        stopSignal.countDown();
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (Thread thread : threads) {
            try {
                // A reader finishes the message in hand (its transaction and ack) before it exits.
                if (!thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    log.warn("Event stream reader {} did not stop in time; interrupting it", thread.getName());
                    thread.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.clear();
        try {
            redis.delete(runningKey(consumerName));
        } catch (RuntimeException e) {
            log.debug("Could not remove the running mark of consumer {}", consumerName, e);
        }
    }

    /**
     * The mark a running instance keeps fresh, so that no other instance removes its consumers: Redis's idle time
     * alone does not tell, since before Redis 7.2 a read that returns nothing does not reset it.
     */
    private String runningKey(String consumer) {
        return keys.key("events:consumers:" + consumer + ":running");
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Sleeps, but wakes at once when the consumers stop. */
    private void pause(Duration duration) {
        try {
            stopSignal.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The loop of one listener. */
    private final class Reader {

        private final EventStreamListener<?> listener;
        private final String key;
        private final Consumer consumer;
        private final Backoff backoff;
        private final long reclaimEveryNanos;
        private final long markEveryNanos;
        private boolean groupReady;
        private boolean outage;
        private long nextReclaim = System.nanoTime();
        private long nextMark = System.nanoTime();

        Reader(EventStreamListener<?> listener) {
            this.listener = listener;
            this.key = EventStreams.key(keys, listener.stream());
            this.consumer = Consumer.from(listener.group(), consumerName);
            this.backoff = new Backoff(properties.consumer().pollInterval(), properties.maxBackoff());
            this.reclaimEveryNanos = Math.max(properties.consumer().claimIdle().toNanos() / 2,
                    properties.consumer().pollInterval().toNanos());
            this.markEveryNanos = properties.consumer().removeIdleAfter().toNanos() / 3;
        }

        void run() {
            while (running) {
                try {
                    if (!groupReady) {
                        createGroup();
                    }
                    if (System.nanoTime() - nextMark >= 0) {
                        redis.opsForValue().set(runningKey(consumerName), "1", properties.consumer().removeIdleAfter());
                        nextMark = System.nanoTime() + markEveryNanos;
                    }
                    if (System.nanoTime() - nextReclaim >= 0) {
                        reclaimIdle();
                        removeIdleConsumers();
                        nextReclaim = System.nanoTime() + reclaimEveryNanos;
                    }
                    List<MapRecord<String, Object, Object>> records = redis.opsForStream().read(consumer,
                            StreamReadOptions.empty().count(properties.consumer().batchSize()),
                            StreamOffset.create(key, ReadOffset.lastConsumed()));
                    for (MapRecord<String, Object, Object> record : records) {
                        if (!running) {
                            break;
                        }
                        process(record);
                    }
                    recovered();
                    if (records.isEmpty()) {
                        pause(properties.consumer().pollInterval());
                    }
                } catch (RuntimeException e) {
                    if (hasErrorCode(e, "NOGROUP")) {
                        // The stream vanished (Redis restarted without persistence, or it was deleted).
                        log.info("Consumer group '{}' of {} is gone; creating it again", listener.group(), key);
                        groupReady = false;
                        pause(properties.consumer().pollInterval());
                    } else {
                        failed(e);
                    }
                }
            }
            leaveGroup();
        }

        /** Names are per instance run, so each shutdown removes its own, unless messages still wait on it. */
        private void leaveGroup() {
            try {
                if (groupReady && redis.opsForStream().pending(key, consumer, Range.unbounded(), 1).isEmpty()) {
                    redis.opsForStream().deleteConsumer(key, consumer);
                }
            } catch (RuntimeException e) {
                log.debug("Could not remove consumer {} from group '{}'", consumer.getName(), listener.group(), e);
            }
        }

        private void createGroup() {
            try {
                // From 0: a group created after events were published still receives all of them.
                redis.opsForStream().createGroup(key, ReadOffset.from("0"), listener.group());
            } catch (RuntimeException e) {
                if (!hasErrorCode(e, "BUSYGROUP")) {
                    throw e;
                }
            }
            groupReady = true;
        }

        private void reclaimIdle() {
            Duration claimIdle = properties.consumer().claimIdle();
            PendingMessages pending = redis.opsForStream().pending(key, listener.group(), Range.unbounded(),
                    properties.consumer().batchSize(), claimIdle);
            if (pending.isEmpty()) {
                return;
            }
            Map<String, Long> deliveries = new LinkedHashMap<>();
            for (PendingMessage message : pending) {
                deliveries.put(message.getIdAsString(), message.getTotalDeliveryCount());
            }
            String[] ids = deliveries.keySet().toArray(String[]::new);
            // The minimum idle time makes the claim atomic across instances: whoever claims first resets it.
            List<MapRecord<String, Object, Object>> claimed = redis.opsForStream().claim(key, listener.group(),
                    consumerName, XClaimOptions.minIdle(claimIdle).ids(ids));
            Set<String> seen = new HashSet<>();
            for (MapRecord<String, Object, Object> record : claimed) {
                if (!running) {
                    return;
                }
                String id = record.getId().getValue();
                seen.add(id);
                long delivered = deliveries.getOrDefault(id, 0L);
                if (delivered >= properties.consumer().maxDeliveries()) {
                    deadLetter(record, delivered);
                } else {
                    process(record);
                }
            }
            for (String id : ids) {
                // Trimmed away by MAXLEN while pending: nothing left to process, so stop tracking it.
                if (!seen.contains(id) && redis.opsForStream().range(key, Range.closed(id, id)).isEmpty()) {
                    redis.opsForStream().acknowledge(key, listener.group(), id);
                }
            }
        }

        /**
         * Removes the group's consumers of stopped or crashed instances: any other than this instance's that has
         * nothing pending, has been idle (by Redis's own idle time) at least {@code remove-idle-after}, and whose
         * instance has not refreshed its running mark within that time. One with messages still pending stays until
         * {@link #reclaimIdle} has taken them over.
         */
        private void removeIdleConsumers() {
            long idleLimit = properties.consumer().removeIdleAfter().toMillis();
            for (StreamInfo.XInfoConsumer other : redis.opsForStream().consumers(key, listener.group())) {
                if (other.consumerName().equals(consumerName) || other.pendingCount() > 0
                        || other.idleTimeMs() < idleLimit) {
                    continue;
                }
                Long removed = redis.execute(REMOVE_IF_ABANDONED, List.of(key, runningKey(other.consumerName())),
                        listener.group(), other.consumerName(), Long.toString(idleLimit));
                if (removed != null && removed == 1) {
                    meters.counter("qnsp.events.consumer.removed", "stream", listener.stream(),
                            "group", listener.group()).increment();
                    log.info("Removed consumer {} from group '{}' of stream '{}': idle for {} ms with nothing pending",
                            other.consumerName(), listener.group(), listener.stream(), other.idleTimeMs());
                }
            }
        }

        /** Handles one message; returns normally both when it is done and when it was left pending for a retry. */
        private void process(MapRecord<String, Object, Object> record) {
            while (running) {
                Outcome outcome;
                try {
                    outcome = transactions.execute(status -> consume(record));
                } catch (CannotCreateTransactionException | DataAccessResourceFailureException e) {
                    // The database is unreachable: that is no fault of this message, so retry it here without
                    // spending one of its deliveries, and read nothing new meanwhile.
                    failed(e);
                    continue;
                } catch (RuntimeException e) {
                    count("failed");
                    log.warn("Handler for stream '{}' group '{}' failed on message {} (event {}); it stays pending "
                                    + "and is retried: {}", listener.stream(), listener.group(), record.getId(),
                            record.getValue().get(EventStreams.EVENT_ID), EventStreams.describe(unwrap(e)));
                    return;
                }
                // Only now, after commit: a crash before this line redelivers, and the stored id makes that a no-op.
                redis.opsForStream().acknowledge(key, listener.group(), record.getId());
                count(outcome.metric);
                return;
            }
        }

        private Outcome consume(MapRecord<String, Object, Object> record) {
            Object eventId = record.getValue().get(EventStreams.EVENT_ID);
            Object payload = record.getValue().get(EventStreams.PAYLOAD);
            if (eventId == null || payload == null) {
                throw new IllegalArgumentException("stream entry lacks " + EventStreams.EVENT_ID + " or "
                        + EventStreams.PAYLOAD);
            }
            UUID id = UUID.fromString(eventId.toString());
            if (jdbc.update(RECORD_CONSUMED, listener.group(), id) == 0) {
                return Outcome.DUPLICATE;
            }
            handle(listener, payload.toString());
            return Outcome.HANDLED;
        }

        private <T> void handle(EventStreamListener<T> target, String payload) {
            T event = json.readValue(payload, target.type());
            try {
                target.handler().handle(event);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new HandlerFailed(e);
            }
        }

        private void deadLetter(MapRecord<String, Object, Object> record, long deliveries) {
            Map<String, String> fields = new LinkedHashMap<>();
            record.getValue().forEach((name, value) -> fields.put(name.toString(), String.valueOf(value)));
            fields.put("group", listener.group());
            fields.put("sourceId", record.getId().getValue());
            fields.put("deliveries", Long.toString(deliveries));
            String deadLetterKey = EventStreams.deadLetterKey(keys, listener.stream());
            redis.opsForStream().add(StreamRecords.newRecord().in(deadLetterKey).ofMap(fields),
                    XAddOptions.maxlen(properties.streamMaxLength()).approximateTrimming(true));
            redis.opsForStream().acknowledge(key, listener.group(), record.getId());
            count("dead_lettered");
            log.warn("Moved message {} (event {}) of stream '{}' to {} after {} failed deliveries to group '{}'",
                    record.getId(), fields.get(EventStreams.EVENT_ID), listener.stream(), deadLetterKey, deliveries,
                    listener.group());
        }

        private void failed(RuntimeException e) {
            if (!outage) {
                outage = true;
                log.warn("Event stream reader for '{}' group '{}' cannot reach Redis or the database; retrying "
                        + "with backoff up to {}: {}", listener.stream(), listener.group(), properties.maxBackoff(),
                        EventStreams.describe(e));
            } else {
                log.debug("Event stream reader for '{}' still failing", listener.stream(), e);
            }
            pause(backoff.next());
        }

        private void recovered() {
            if (outage) {
                outage = false;
                log.info("Event stream reader for '{}' group '{}' reads again", listener.stream(), listener.group());
            }
            backoff.reset();
        }

        private void count(String outcome) {
            meters.counter("qnsp.events.consumer.messages", "stream", listener.stream(), "group", listener.group(),
                    "outcome", outcome).increment();
        }
    }

    private enum Outcome {
        HANDLED("handled"), DUPLICATE("duplicate");

        final String metric;

        Outcome(String metric) {
            this.metric = metric;
        }
    }

    /** Carries a handler's checked exception through the transaction so that it rolls back. */
    private static final class HandlerFailed extends RuntimeException {
        HandlerFailed(Exception cause) {
            super(cause);
        }
    }

    private static Throwable unwrap(RuntimeException e) {
        return e instanceof HandlerFailed && e.getCause() != null ? e.getCause() : e;
    }

    private static boolean hasErrorCode(Throwable e, String code) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().startsWith(code)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
