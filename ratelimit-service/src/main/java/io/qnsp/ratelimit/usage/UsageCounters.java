package io.qnsp.ratelimit.usage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts decisions per key and minute in memory and writes them to PostgreSQL in batches, so a check never
 * costs a database write. Additive upserts keep counts of several instances correct; counts that cannot be
 * written (database away) stay in memory for the next flush, and a clean shutdown flushes what is left.
 */
@Component
public class UsageCounters {

    private static final Logger log = LoggerFactory.getLogger(UsageCounters.class);

    private static final String UPSERT = """
            INSERT INTO key_usage_minute (key_id, minute, allowed, throttled, last_request_at)
            SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM api_key WHERE id = ?)
            ON CONFLICT (key_id, minute) DO UPDATE SET
                allowed = key_usage_minute.allowed + EXCLUDED.allowed,
                throttled = key_usage_minute.throttled + EXCLUDED.throttled,
                last_request_at = GREATEST(key_usage_minute.last_request_at, EXCLUDED.last_request_at)
            """;

    /** One key's decisions in one minute. */
    record Slot(UUID keyId, long epochMinute) {
    }

    /** Mutable counts, only ever touched inside the map's per-entry lock. */
    static final class Counts {
        long allowed;
        long throttled;
        long lastRequestAtMillis;

        Counts copy() {
            Counts copy = new Counts();
            copy.allowed = allowed;
            copy.throttled = throttled;
            copy.lastRequestAtMillis = lastRequestAtMillis;
            return copy;
        }

        void add(Counts other) {
            allowed += other.allowed;
            throttled += other.throttled;
            lastRequestAtMillis = Math.max(lastRequestAtMillis, other.lastRequestAtMillis);
        }
    }

    private final ConcurrentHashMap<Slot, Counts> pending = new ConcurrentHashMap<>();
    private final JdbcTemplate jdbc;

    UsageCounters(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Counts one decision. */
    public void record(UUID keyId, boolean allowed, Instant at) {
        long millis = at.toEpochMilli();
        pending.compute(new Slot(keyId, Math.floorDiv(millis, 60_000L)), (slot, counts) -> {
            Counts current = counts == null ? new Counts() : counts;
            if (allowed) {
                current.allowed++;
            } else {
                current.throttled++;
            }
            current.lastRequestAtMillis = Math.max(current.lastRequestAtMillis, millis);
            return current;
        });
    }

    /** A copy of this instance's not yet written counts for one key, by minute. */
    Map<Long, Counts> unflushed(UUID keyId) {
        Map<Long, Counts> result = new java.util.HashMap<>();
        for (Slot slot : pending.keySet()) {
            if (slot.keyId().equals(keyId)) {
                pending.computeIfPresent(slot, (s, counts) -> {
                    result.put(s.epochMinute(), counts.copy());
                    return counts;
                });
            }
        }
        return result;
    }

    @Scheduled(fixedDelayString = "${qnsp.ratelimit-service.metrics-flush-interval:5s}")
    public void flush() {
        List<Map.Entry<Slot, Counts>> batch = new ArrayList<>();
        for (Slot slot : pending.keySet()) {
            Counts counts = pending.remove(slot);
            if (counts != null) {
                batch.add(Map.entry(slot, counts));
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            jdbc.batchUpdate(UPSERT, batch, 500, (statement, entry) -> {
                Slot slot = entry.getKey();
                Counts counts = entry.getValue();
                statement.setObject(1, slot.keyId());
                statement.setTimestamp(2, Timestamp.from(Instant.ofEpochMilli(slot.epochMinute() * 60_000L)));
                statement.setLong(3, counts.allowed);
                statement.setLong(4, counts.throttled);
                statement.setTimestamp(5, Timestamp.from(Instant.ofEpochMilli(counts.lastRequestAtMillis)));
                statement.setObject(6, slot.keyId());
            });
        } catch (RuntimeException e) {
            for (Map.Entry<Slot, Counts> entry : batch) {
                pending.merge(entry.getKey(), entry.getValue(), (mine, theirs) -> {
                    mine.add(theirs);
                    return mine;
                });
            }
            log.warn("could not write {} usage counters ({}); keeping them for the next flush", batch.size(),
                    e.getClass().getSimpleName());
        }
    }

    @PreDestroy
    void flushOnShutdown() {
        flush();
    }
}
