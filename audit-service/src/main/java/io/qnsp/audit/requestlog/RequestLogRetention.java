package io.qnsp.audit.requestlog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes request logs older than the retention period, every {@code sweep-interval}, across all tenants. Each batch
 * is one short statement in a transaction of its own, oldest rows first, skipping rows another instance is deleting,
 * so any number of instances may purge at once and a large backlog never holds its locks for long. The list and the
 * stats are computed from the rows, so they only ever cover what is kept.
 */
@Component
class RequestLogRetention implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RequestLogRetention.class);

    // Served by request_log_occurred_at; SKIP LOCKED leaves rows another purge holds to that purge.
    private static final String DELETE_BATCH = """
            DELETE FROM request_log WHERE event_id IN (
                SELECT event_id FROM request_log WHERE occurred_at < ?
                ORDER BY occurred_at LIMIT ? FOR UPDATE SKIP LOCKED)""";

    /** What one purge did: the cutoff it used ({@code null} when retention is off), rows and statements. */
    record Purge(Instant cutoff, long deleted, int batches) {
    }

    private final JdbcTemplate jdbc;
    private final RequestLogRetentionSettings settings;
    private final Clock clock;
    private final Counter purged;
    private volatile ScheduledExecutorService scheduler;

    RequestLogRetention(JdbcTemplate jdbc, RequestLogRetentionSettings settings, MeterRegistry meters,
                        Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock.orElse(Clock.systemUTC());
        this.purged = Counter.builder("qnsp.audit.request_logs.purged")
                .description("request logs deleted because they were older than the retention period")
                .register(meters);
    }

    /** Purges what is older than the retention period now. */
    Purge purge() {
        return purge(clock.instant());
    }

    /** Deletes, batch by batch, the request logs older than the retention period before {@code now}. */
    Purge purge(Instant now) {
        if (!settings.enabled()) {
            return new Purge(null, 0, 0);
        }
        Instant cutoff = now.minus(settings.period());
        Timestamp before = Timestamp.from(cutoff);
        long deleted = 0;
        int batches = 0;
        int last;
        do {
            last = jdbc.update(DELETE_BATCH, before, settings.batchSize());
            deleted += last;
            batches++;
            purged.increment(last);
            // a full batch: more may be due, unless the service is stopping (the next purge goes on)
        } while (last == settings.batchSize() && !Thread.currentThread().isInterrupted());
        if (deleted > 0) {
            log.info("Request-log retention deleted {} request log(s) older than {} in {} batch(es)", deleted, cutoff,
                    batches);
        }
        return new Purge(cutoff, deleted, batches);
    }

    private void scheduledPurge() {
        try {
            purge();
        } catch (RuntimeException e) {
            log.warn("Request-log retention could not purge; tried again in {}: {}", settings.sweepInterval(),
                    e.toString());
        }
    }

    @Override
    public synchronized void start() {
        if (!settings.enabled()) {
            log.info("Request-log retention is off (qnsp.audit.request-logs.retention.period=0): request logs are "
                    + "kept forever");
            return;
        }
        long interval = settings.sweepInterval().toMillis();
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("audit-request-log-retention").daemon().factory());
        scheduler.scheduleWithFixedDelay(this::scheduledPurge, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
