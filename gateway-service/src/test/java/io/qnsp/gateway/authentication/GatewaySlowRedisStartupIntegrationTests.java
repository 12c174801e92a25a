package io.qnsp.gateway.authentication;

import io.qnsp.common.redis.RedisKeys;
import io.qnsp.gateway.TestAuthService;
import io.qnsp.gateway.TestAuthService.TestKey;
import io.qnsp.gateway.TestIdentity;
import io.qnsp.gateway.web.StubBackend;
import io.qnsp.test.infra.StallingProxy;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway starting while Redis accepts connections but does not answer (a Redis still starting, or one on an
 * overloaded machine): it starts and serves anyway, and subscribes to key change notices once Redis answers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewaySlowRedisStartupIntegrationTests {

    private static final StubBackend backend = StubBackend.start();
    private static final TestRedis REDIS = TestRedis.startPrivate();
    private static final StallingProxy STALLED = StallingProxy.holding(REDIS.host(), REDIS.port());

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestIdentity.properties(registry, REDIS, backend);
        registry.add("spring.data.redis.url", () -> "redis://" + STALLED.host() + ":" + STALLED.port());
        registry.add("qnsp.redis.command-timeout", () -> "300ms");
    }

    @AfterAll
    static void stop() {
        STALLED.close();
        backend.close();
        REDIS.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    StringRedisTemplate redis;
    @Autowired
    RedisKeys keys;

    @Test
    void startsAndServesWhileRedisDoesNotAnswerThenListensForKeyChangesOnceItDoes() throws Exception {
        WebTestClient client = TestIdentity.client(port);
        TestKey key = auth().newKey("tenant-slow-redis", 5, 100, 1000);
        assertThat(client.get().uri("/api/v1/requests/" + UUID.randomUUID()).header("X-API-Key", key.value())
                .exchange().expectBody().returnResult().getStatus()).isEqualTo(HttpStatus.OK);

        STALLED.release();
        String channel = keys.key(ApiKeyChangeListener.CHANNEL);
        TestIdentity.awaitSubscriber(redis, channel);
        auth().refuse(key);
        redis.convertAndSend(channel, "{\"keyId\":\"" + key.keyId() + "\",\"change\":\"revoked\"}");
        assertThat(TestIdentity.awaitStatus(client, key, HttpStatus.UNAUTHORIZED))
                .isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    private static TestAuthService auth() {
        return TestAuthService.shared();
    }
}
