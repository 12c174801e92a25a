package io.qnsp.gateway.requestlog;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qnsp.common.events.RequestLogEvent;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RequestLogBufferTests {

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final List<LettuceConnectionFactory> factories = new ArrayList<>();
    private final RedisKeys keys = new RedisKeys("rlb" + UUID.randomUUID().toString().substring(0, 8) + ":");

    @AfterEach
    void close() {
        factories.forEach(LettuceConnectionFactory::destroy);
    }

    @Test
    void aFullBufferDropsNewEventsAndCountsThemWithoutBlocking() {
        LettuceConnectionFactory factory = factory(TestRedis.shared().host(), TestRedis.shared().port());
        StringRedisTemplate redis = new StringRedisTemplate(factory);
        RequestLogBuffer buffer = new RequestLogBuffer(new ReactiveStringRedisTemplate(factory), keys, properties(3),
                meters);

        for (int i = 0; i < 5; i++) {
            buffer.record(event("r" + i));
        }
        assertThat(dropped("buffer_full")).isEqualTo(2);

        buffer.drain();
        assertThat(redis.opsForStream().size(keys.key("events:request-log"))).isEqualTo(3);
        assertThat(meters.counter(RequestLogBuffer.PUBLISHED).count()).isEqualTo(3);
        // the buffer has room again
        buffer.record(event("r5"));
        assertThat(dropped("buffer_full")).isEqualTo(2);
    }

    @Test
    void eventsRedisRefusesAreDroppedAndCounted() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RequestLogBuffer buffer = new RequestLogBuffer(new ReactiveStringRedisTemplate(factory("127.0.0.1", closedPort)),
                keys, properties(10), meters);
        for (int i = 0; i < 4; i++) {
            buffer.record(event("down" + i));
        }

        // a refused batch ends the round: the rest waits for the next one instead of hammering a Redis that is down
        buffer.drain();
        assertThat(dropped("redis_unavailable")).isEqualTo(2);
        buffer.drain();
        assertThat(dropped("redis_unavailable")).isEqualTo(4);
        assertThat(dropped("buffer_full")).isZero();
        assertThat(meters.counter(RequestLogBuffer.PUBLISHED).count()).isZero();
    }

    @Test
    void batchAfterBatchTravelsOnOneConnectionInOrder() {
        try (TestRedis own = TestRedis.startPrivate()) {
            LettuceConnectionFactory factory = factory(own.host(), own.port());
            StringRedisTemplate redis = new StringRedisTemplate(factory);
            RequestLogBuffer buffer = new RequestLogBuffer(new ReactiveStringRedisTemplate(factory), keys,
                    new RequestLogProperties(true, 1000, 50, 100_000, Duration.ofMillis(100)), meters);
            redis.opsForValue().set(keys.key("warm"), "1");
            long connectionsBefore = connectionsReceived(redis);

            List<String> sent = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < 120; i++) {
                    String requestId = "r" + round + "-" + i;
                    sent.add(requestId);
                    buffer.record(event(requestId));
                }
                buffer.drain();
            }

            // 1,200 events in 30 batches: not one new connection per batch
            assertThat(connectionsReceived(redis) - connectionsBefore).isLessThanOrEqualTo(1);
            List<String> stored = redis.opsForStream().range(keys.key("events:request-log"),
                            Range.unbounded()).stream()
                    .map(record -> JsonMapper.shared().readTree((String) record.getValue().get("payload"))
                            .path("requestId").asString())
                    .toList();
            assertThat(stored).containsExactlyElementsOf(sent);
            assertThat(meters.counter(RequestLogBuffer.PUBLISHED).count()).isEqualTo(1200);
        }
    }

    private static long connectionsReceived(StringRedisTemplate redis) {
        Properties stats = redis.execute((RedisCallback<Properties>) connection -> connection.serverCommands()
                .info("stats"));
        return Long.parseLong(stats.getProperty("total_connections_received"));
    }

    private double dropped(String reason) {
        return meters.counter(RequestLogBuffer.DROPPED, "reason", reason).count();
    }

    private static RequestLogProperties properties(int bufferSize) {
        return new RequestLogProperties(true, bufferSize, 2, 1000, Duration.ofMillis(100));
    }

    private static RequestLogEvent event(String requestId) {
        return new RequestLogEvent(UUID.randomUUID(), Instant.now(), "GET", "/kms/v1/keys", 200, 3, null, null,
                "127.0.0.1", "test", false, requestId);
    }

    private LettuceConnectionFactory factory(String host, int port) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(host, port);
        factory.afterPropertiesSet();
        factory.start();
        factories.add(factory);
        return factory;
    }
}
