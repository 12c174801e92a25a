package io.qnsp.gateway.tenantstatus;

import io.qnsp.test.infra.TestRedis;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Writes tenant status changes onto the stream as billing-service's outbox relay does: fields {@code eventId},
 * {@code type}, {@code occurredAt} and {@code payload} (the {@code TenantStatusChanged} as JSON).
 */
final class TenantStatusStream {

    static final String TYPE = "io.qnsp.billing.account.TenantStatusChanged";

    private final StringRedisTemplate redis;
    private final String key;

    TenantStatusStream(StringRedisTemplate redis, String prefix) {
        this.redis = redis;
        this.key = prefix + "events:tenant-status";
    }

    /** Writes with a client of its own, before the gateway (and its Redis beans) exist. */
    static void beforeStart(TestRedis server, String prefix, Consumer<TenantStatusStream> writes) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(server.host(), server.port()));
        factory.afterPropertiesSet();
        factory.start();
        try {
            writes.accept(new TenantStatusStream(new StringRedisTemplate(factory), prefix));
        } finally {
            factory.destroy();
        }
    }

    String key() {
        return key;
    }

    void suspended(String tenantId) {
        publish(tenantId, "suspended", "active", "dunning");
    }

    void cancelled(String tenantId) {
        publish(tenantId, "cancelled", "suspended", "dunning");
    }

    void reinstated(String tenantId) {
        publish(tenantId, "active", "suspended", "payment");
    }

    void publish(String tenantId, String status, String previousStatus, String reason) {
        UUID eventId = UUID.randomUUID();
        String occurredAt = Instant.now().toString();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventId.toString());
        event.put("occurredAt", occurredAt);
        event.put("tenantId", tenantId);
        event.put("status", status);
        event.put("previousStatus", previousStatus);
        event.put("reason", reason);
        event.put("paymentId", null);
        event.put("service", "billing-service");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("eventId", eventId.toString());
        fields.put("type", TYPE);
        fields.put("occurredAt", occurredAt);
        fields.put("payload", JsonMapper.shared().writeValueAsString(event));
        redis.opsForStream().add(StreamRecords.newRecord().in(key).ofMap(fields));
    }

    /** An entry the gateway cannot use: it must skip it and go on. */
    void unreadable() {
        redis.opsForStream().add(StreamRecords.newRecord().in(key).ofMap(Map.of("eventId",
                UUID.randomUUID().toString(), "type", TYPE, "payload", "{not json")));
    }
}
