package io.qnsp.auth.apikey;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts verified uses per key in memory and adds them to {@code total_requests} / {@code last_used_at} in batches,
 * so verification never costs a database write. Additive updates keep several instances' counts correct; counts that
 * cannot be written stay for the next flush, and a clean shutdown flushes what is left (waiting at most five seconds).
 */
@Component
class ApiKeyUsage {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyUsage.class);

    private static final String ADD = """
            UPDATE api_key SET total_requests = total_requests + ?, last_used_at = GREATEST(last_used_at, ?)
            WHERE id = ?""";

    /** Uses not yet written; only touched inside the map's per-entry lock. */
    static final class Counts {
        long requests;
        long lastUsedAtMillis;

        Counts copy() {
            Counts copy = new Counts();
            copy.requests = requests;
            copy.lastUsedAtMillis = lastUsedAtMillis;
            return copy;
        }

        void add(Counts other) {
            requests += other.requests;
            lastUsedAtMillis = Math.max(lastUsedAtMillis, other.lastUsedAtMillis);
        }
    }

    private static final Duration SHUTDOWN_FLUSH_WAIT = Duration.ofSeconds(5);

    private final ConcurrentHashMap<String, Counts> pending = new ConcurrentHashMap<>();
    private final JdbcTemplate jdbc;

    ApiKeyUsage(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void record(String keyId, Instant at) {
        long millis = at.toEpochMilli();
        pending.compute(keyId, (id, counts) -> {
            Counts current = counts == null ? new Counts() : counts;
            current.requests++;
            current.lastUsedAtMillis = Math.max(current.lastUsedAtMillis, millis);
            return current;
        });
    }

    /** This instance's unwritten uses of the key, or {@code null}. */
    Counts unflushed(String keyId) {
        Counts[] copy = new Counts[1];
        pending.computeIfPresent(keyId, (id, counts) -> {
            copy[0] = counts.copy();
            return counts;
        });
        return copy[0];
    }

    @Scheduled(fixedDelayString = "${qnsp.auth.api-keys.usage-flush-interval:10s}")
    void flush() {
        List<Map.Entry<String, Counts>> batch = new ArrayList<>();
        for (String keyId : pending.keySet()) {
            Counts counts = pending.remove(keyId);
            if (counts != null) {
                batch.add(Map.entry(keyId, counts));
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            jdbc.batchUpdate(ADD, batch, 500, (statement, entry) -> {
                statement.setLong(1, entry.getValue().requests);
                statement.setTimestamp(2, Timestamp.from(Instant.ofEpochMilli(entry.getValue().lastUsedAtMillis)));
                statement.setString(3, entry.getKey());
            });
        } catch (RuntimeException e) {
            for (Map.Entry<String, Counts> entry : batch) {
                pending.merge(entry.getKey(), entry.getValue(), (mine, theirs) -> {
                    mine.add(theirs);
                    return mine;
                });
            }
            log.warn("could not write the use counts of {} API keys ({}); keeping them for the next flush",
                    batch.size(), e.getClass().getSimpleName());
        }
    }

    /** Flushes what is left, waiting a bounded time: an unreachable database must not hold up shutdown. */
    @PreDestroy
    void flushOnShutdown() {
        Thread flusher = Thread.ofVirtual().name("api-key-usage-final-flush").start(this::flush);
        try {
            if (!flusher.join(SHUTDOWN_FLUSH_WAIT)) {
                log.warn("gave up writing the last API key use counts at shutdown after {}", SHUTDOWN_FLUSH_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
