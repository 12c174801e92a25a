package io.qnsp.audit;

import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.OutboxEvent;
import io.qnsp.common.events.RequestLogEvent;
import io.qnsp.common.redis.RedisKeys;
import org.awaitility.Awaitility;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.SessionCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/** Publishes events onto the context's Redis streams exactly as common-lib's outbox relay writes them, and waits. */
public final class TestEvents {

    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final JsonMapper json;
    private final JdbcTemplate jdbc;

    public TestEvents(StringRedisTemplate redis, RedisKeys keys, JsonMapper json, JdbcTemplate jdbc) {
        this.redis = redis;
        this.keys = keys;
        this.json = json;
        this.jdbc = jdbc;
    }

    /** XADD with the relay's fields: eventId, type, occurredAt, payload. */
    public void publish(OutboxEvent event) {
        redis.opsForStream().add(record(event));
    }

    /**
     * Publishes all of them in one MULTI/EXEC, so that a reader sees none or all of them: its next read takes a full
     * batch, never just the first few that happened to be out.
     */
    public void publishAtOnce(List<? extends OutboxEvent> events) {
        List<Object> added = redis.execute(new SessionCallback<>() {
            @Override
            @SuppressWarnings("unchecked")
            public <K, V> List<Object> execute(RedisOperations<K, V> operations) {
                RedisOperations<String, String> transaction = (RedisOperations<String, String>) operations;
                transaction.multi();
                events.forEach(event -> transaction.opsForStream().add(record(event)));
                return transaction.exec();
            }
        });
        if (added == null || added.size() != events.size()) {
            throw new IllegalStateException("MULTI/EXEC added " + (added == null ? 0 : added.size()) + " of "
                    + events.size() + " events");
        }
    }

    private MapRecord<String, String, String> record(OutboxEvent event) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("eventId", event.eventId().toString());
        fields.put("type", event.getClass().getName());
        fields.put("occurredAt", event.occurredAt().toString());
        fields.put("payload", json.writeValueAsString(event));
        return StreamRecords.newRecord().in(streamKey(event.stream())).ofMap(fields);
    }

    public String streamKey(String stream) {
        return keys.key("events:" + stream);
    }

    public static RequestLogEvent request(String tenant, Instant at, String method, String path, int status,
                                          long durationMs, String keyId, boolean rateLimited) {
        return new RequestLogEvent(UUID.randomUUID(), at, method, path, status, durationMs, keyId, tenant,
                "192.168.1.100", "MyApp/1.0", rateLimited, "rid-" + UUID.randomUUID());
    }

    public static AuditEvent audit(String tenant, String action) {
        return new AuditEvent(UUID.randomUUID(), Instant.parse("2026-01-15T10:30:00Z"), tenant, "user-1", action,
                "api_key", "key_1", "success", "rid-1", "auth-service", Map.of("name", "Test"));
    }

    public long count(String sql, Object... args) {
        Long count = jdbc.queryForObject(sql, Long.class, args);
        return count == null ? 0 : count;
    }

    /** Waits until every request-log event of the tenant is stored; fails after a generous deadline. */
    public void awaitRequestLogs(String tenant, long expected) {
        await(() -> count("SELECT count(*) FROM request_log WHERE tenant_id = ?", tenant) >= expected,
                expected + " request logs of " + tenant);
    }

    /** Waits until the condition holds; fails after a generous deadline. */
    public static void await(BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }
}
