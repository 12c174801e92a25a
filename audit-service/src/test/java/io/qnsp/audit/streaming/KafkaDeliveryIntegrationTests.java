package io.qnsp.audit.streaming;

import io.qnsp.audit.TestEvents;
import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.audit.streaming.SubscriptionApiIntegrationTests.event;
import static org.assertj.core.api.Assertions.assertThat;

/** Kafka destinations against an embedded KRaft broker (one for the class): records arrive; a dead broker fails fast. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class KafkaDeliveryIntegrationTests {

    private static final String TOPIC = "audit-events";
    private static EmbeddedKafkaKraftBroker broker;

    @LocalServerPort
    int port;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisKeys keys;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcTemplate jdbc;

    TestEvents events;
    String tenant;
    StreamingApi api;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 1, TOPIC);
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stopBroker() {
        broker.destroy();
    }

    @BeforeEach
    void setUp() {
        events = new TestEvents(redis, keys, json, jdbc);
        tenant = "tenant-" + UUID.randomUUID();
        api = new StreamingApi(port, TestTokens.forTenant(tenant).subject("user-1").scopes("audit:stream").mint());
    }

    @Test
    void aMatchingEventArrivesAsARecordKeyedByItsEventId() {
        JsonNode created = api.create("""
                {"name": "to kafka", "filters": {"eventTypes": ["auth.*"]},
                 "destination": {"type": "kafka", "config": {"bootstrapServers": "%s", "topic": "%s",
                                 "clientId": "audit-test"}}}""".formatted(broker.getBrokersAsString(), TOPIC));
        assertThat(created.get("destination").get("config").get("bootstrapServers").asString())
                .isEqualTo(broker.getBrokersAsString());
        String subscriptionId = created.get("subscriptionId").asString();
        AuditEvent skipped = event(tenant, "kms.key.created", "success");
        AuditEvent wanted = event(tenant, "auth.api_key.created", "success");

        events.publish(skipped);
        events.publish(wanted);

        List<ConsumerRecord<String, String>> records = consume(1);
        ConsumerRecord<String, String> record = records.getFirst();
        assertThat(record.key()).isEqualTo(wanted.eventId().toString());
        JsonNode value = json.readTree(record.value());
        assertThat(value.get("eventId").asString()).isEqualTo(wanted.eventId().toString());
        assertThat(value.get("eventType").asString()).isEqualTo("auth.api_key.created");
        assertThat(value.get("tenantId").asString()).isEqualTo(tenant);
        assertThat(new String(record.headers().lastHeader("eventType").value(), StandardCharsets.UTF_8))
                .isEqualTo("auth.api_key.created");
        assertThat(new String(record.headers().lastHeader("deliveryId").value(), StandardCharsets.UTF_8))
                .startsWith("del_");
        TestEvents.await(() -> events.count("SELECT count(*) FROM delivery WHERE owner_id = ? AND status = 'success'",
                subscriptionId) == 1, "the delivery recorded as succeeded");
        assertThat(events.count("SELECT count(*) FROM delivery WHERE owner_id = ?", subscriptionId)).isEqualTo(1);
    }

    @Test
    void anUnreachableBrokerFailsTheAttemptWithinItsBoundsAndIsRetried() {
        String subscriptionId = api.create("""
                {"name": "dead broker",
                 "destination": {"type": "kafka", "config": {"bootstrapServers": ["127.0.0.1:1"], "topic": "t"}}}""")
                .get("subscriptionId").asString();

        events.publish(event(tenant, "auth.login", "success"));

        TestEvents.await(() -> events.count("SELECT count(*) FROM delivery_attempt a JOIN delivery d USING"
                + " (delivery_id) WHERE d.owner_id = ?", subscriptionId) >= 1, "a failed attempt");
        Map<String, Object> attempt = jdbc.queryForMap("SELECT a.succeeded, a.duration_ms, a.error, d.status FROM"
                + " delivery_attempt a JOIN delivery d USING (delivery_id) WHERE d.owner_id = ? AND a.attempt = 1",
                subscriptionId);
        assertThat(attempt.get("succeeded")).isEqualTo(false);
        assertThat((String) attempt.get("error")).startsWith("kafka: ");
        // kafka-max-block is 2s in the test settings: the attempt gave up rather than hanging
        assertThat((Long) attempt.get("duration_ms")).isLessThan(15_000);
        assertThat(attempt.get("status")).isIn("pending", "failed");
    }

    /** Deleting the subscriptions drops their pending deliveries, so no retries outlive the test. */
    @AfterEach
    void deleteSubscriptions() {
        for (JsonNode subscription : StreamingApi.ok(api.get("/v1/streaming/subscriptions")).get("subscriptions")) {
            api.delete("/v1/streaming/subscriptions/" + subscription.get("subscriptionId").asString());
        }
    }

    private List<ConsumerRecord<String, String>> consume(int count) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    // the topic is shared by the class's tests: keep this tenant's records
                    if (record.value().contains(tenant)) {
                        records.add(record);
                    }
                }
                if (records.size() >= count) {
                    // a little longer, so a duplicate would show
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                        if (r.value().contains(tenant)) {
                            records.add(r);
                        }
                    });
                    assertThat(records).hasSize(count);
                    return records;
                }
            }
        }
        throw new AssertionError("expected " + count + " records, got " + records.size());
    }
}
