package io.qnsp.common.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.qnsp.common.redis.RedisKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Array;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes committed outbox rows to Redis Streams in creation order, right after each commit and on a schedule,
 * and deletes published rows once they are older than the retention.
 *
 * <p>Rows are locked with {@code FOR UPDATE SKIP LOCKED} until they are marked published, so relays of several
 * instances never publish the same row concurrently. A row whose {@code XADD} succeeded but whose mark was lost
 * (crash, database failure) is published again: delivery is at least once and consumers dedupe by event id.
 */
final class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private static final String OUTBOX = EventSchema.OUTBOX_TABLE;
    private static final String CONSUMED = EventSchema.CONSUMED_TABLE;
    private static final String SELECT_BATCH = "SELECT id, event_id, stream, event_type, payload, occurred_at FROM "
            + OUTBOX + " WHERE published_at IS NULL ORDER BY created_at, id LIMIT ? FOR UPDATE SKIP LOCKED";
    private static final String MARK_PUBLISHED = "UPDATE " + OUTBOX
            + " SET published_at = now(), last_error = NULL WHERE id = ANY(?)";
    private static final String RECORD_FAILURE = "UPDATE " + OUTBOX
            + " SET attempts = attempts + 1, last_error = ? WHERE id = ?";
    private static final String COUNT_PENDING = "SELECT count(*) FROM " + OUTBOX + " WHERE published_at IS NULL";
    private static final int PRUNE_BATCH = 10_000;
    // Small deletes keep locks and WAL bursts short on a large backlog.
    private static final String PRUNE_PUBLISHED = "DELETE FROM " + OUTBOX + " WHERE id IN (SELECT id FROM " + OUTBOX
            + " WHERE published_at < now() - make_interval(secs => ?) LIMIT " + PRUNE_BATCH + ")";
    private static final String PRUNE_CONSUMED = "DELETE FROM " + CONSUMED
            + " WHERE (consumer_group, event_id) IN (SELECT consumer_group, event_id FROM " + CONSUMED
            + " WHERE consumed_at < now() - make_interval(secs => ?) LIMIT " + PRUNE_BATCH + ")";
    private static final Duration MAX_PRUNE_PERIOD = Duration.ofHours(1);

    private static final RowMapper<Row> ROW = (rs, n) -> new Row(rs.getLong("id"),
            rs.getObject("event_id", UUID.class), rs.getString("stream"), rs.getString("event_type"),
            rs.getString("payload"), rs.getObject("occurred_at", OffsetDateTime.class));

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final EventsProperties properties;
    private final MeterRegistry meters;
    private final Counter failures;
    private final Backoff backoff;
    private final AtomicBoolean triggered = new AtomicBoolean();

    private volatile ScheduledExecutorService executor;
    // Touched only by the relay thread.
    private boolean outage;
    private long retryNotBefore;

    OutboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions, StringRedisTemplate redis, RedisKeys keys,
                EventsProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.redis = redis;
        this.keys = keys;
        this.properties = properties;
        this.meters = meters;
        this.backoff = new Backoff(properties.relayInterval(), properties.maxBackoff());
        this.failures = Counter.builder("qnsp.events.outbox.relay.failures")
                .description("Relay attempts that could not publish to Redis or reach the database")
                .register(meters);
        Gauge.builder("qnsp.events.outbox.pending", this, OutboxRelay::pendingCount)
                .description("Outbox events not yet published to Redis")
                .strongReference(true)
                .register(meters);
    }

    /** Asks the relay thread to publish soon; called after commit, so it never blocks and never throws. */
    void trigger() {
        ScheduledExecutorService current = executor;
        if (current == null || !triggered.compareAndSet(false, true)) {
            return;
        }
        try {
            current.execute(() -> {
                triggered.set(false);
                tick();
            });
        } catch (RejectedExecutionException stopping) {
            triggered.set(false);
        }
    }

    /** One scheduled or triggered run: respects the backoff and logs an outage once, not per row. */
    void tick() {
        if (outage && System.nanoTime() - retryNotBefore < 0) {
            return;
        }
        try {
            relayPending();
            if (outage) {
                outage = false;
                log.info("Event relay publishes to Redis again");
            }
            backoff.reset();
        } catch (RuntimeException e) {
            failures.increment();
            Duration pause = backoff.next();
            retryNotBefore = System.nanoTime() + pause.toNanos();
            if (!outage) {
                outage = true;
                log.warn("Event relay cannot publish; events stay in the outbox and are retried (backoff up to {}): {}",
                        properties.maxBackoff(), EventStreams.describe(e));
            } else {
                log.debug("Event relay still failing, next attempt in {}", pause, e);
            }
        }
    }

    /**
     * Publishes unpublished rows batch by batch until none is left.
     *
     * @return how many rows this call published
     * @throws RuntimeException the first failure, after the rows published before it are marked
     */
    int relayPending() {
        int total = 0;
        while (true) {
            Batch batch = transactions.execute(status -> relayBatch());
            total += batch.published();
            if (batch.failure() != null) {
                throw batch.failure();
            }
            if (batch.selected() < properties.relayBatchSize()) {
                return total;
            }
        }
    }

    private Batch relayBatch() {
        List<Row> rows = jdbc.query(SELECT_BATCH, ROW, properties.relayBatchSize());
        List<Long> published = new ArrayList<>(rows.size());
        RuntimeException failure = null;
        for (Row row : rows) {
            try {
                publish(row);
                published.add(row.id());
            } catch (RuntimeException e) {
                // Stop at the first failure so later rows never overtake an earlier one.
                failure = e;
                jdbc.update(RECORD_FAILURE, EventStreams.describe(e), row.id());
                break;
            }
        }
        if (!published.isEmpty()) {
            jdbc.update(MARK_PUBLISHED, statement -> {
                Array ids = statement.getConnection().createArrayOf("bigint", published.toArray());
                statement.setArray(1, ids);
            });
        }
        return new Batch(rows.size(), published.size(), failure);
    }

    private void publish(Row row) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(EventStreams.EVENT_ID, row.eventId().toString());
        fields.put(EventStreams.TYPE, row.type());
        fields.put(EventStreams.OCCURRED_AT, row.occurredAt().toInstant().toString());
        fields.put(EventStreams.PAYLOAD, row.payload());
        redis.opsForStream().add(StreamRecords.newRecord().in(EventStreams.key(keys, row.stream())).ofMap(fields),
                XAddOptions.maxlen(properties.streamMaxLength()).approximateTrimming(true));
        meters.counter("qnsp.events.outbox.published", "stream", row.stream()).increment();
    }

    /** Deletes published outbox rows and consumed-event ids older than the retention. */
    void pruneExpired() {
        double seconds = properties.retention().toMillis() / 1000.0;
        while (jdbc.update(PRUNE_PUBLISHED, seconds) == PRUNE_BATCH) {
            // keep going until a partial batch shows the backlog is gone
        }
        while (jdbc.update(PRUNE_CONSUMED, seconds) == PRUNE_BATCH) {
            // same
        }
    }

    private double pendingCount() {
        try {
            Long count = jdbc.queryForObject(COUNT_PENDING, Long.class);
            return count == null ? 0 : count;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("qnsp-outbox-relay").daemon(true).factory());
        long interval = properties.relayInterval().toMillis();
        // Periodic tasks that throw are silently cancelled by the executor, hence the guards.
        started.scheduleWithFixedDelay(() -> guarded("relay", this::tick), 0, interval, TimeUnit.MILLISECONDS);
        long prunePeriod = Math.min(properties.retention().toMillis(), MAX_PRUNE_PERIOD.toMillis());
        started.scheduleWithFixedDelay(() -> guarded("retention", this::pruneExpired), prunePeriod, prunePeriod,
                TimeUnit.MILLISECONDS);
        executor = started;
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService stopping = executor;
        if (stopping == null) {
            return;
        }
        executor = null;
        stopping.shutdown();
        try {
            if (!stopping.awaitTermination(10, TimeUnit.SECONDS)) {
                stopping.shutdownNow();
            }
        } catch (InterruptedException e) {
            stopping.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    @Override
    public int getPhase() {
        // Below the web server's phases: started before requests arrive, stopped only after in-flight requests
        // finished, so events they commit during a graceful shutdown still go out at once.
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private static void guarded(String task, Runnable runnable) {
        try {
            runnable.run();
        } catch (RuntimeException e) {
            log.warn("Event outbox {} task failed, will run again: {}", task, EventStreams.describe(e));
        }
    }

    private record Row(long id, UUID eventId, String stream, String type, String payload, OffsetDateTime occurredAt) {
    }

    private record Batch(int selected, int published, RuntimeException failure) {
    }
}
