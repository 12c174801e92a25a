package io.qnsp.gateway.tenantstatus;

import io.qnsp.common.redis.RedisKeys;
import io.qnsp.gateway.TestIdentity;
import io.qnsp.gateway.web.StubBackend;
import io.qnsp.test.infra.TestRedis;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tenant-status reader on a Redis of its own that the test stops and starts (losing its data, as a Redis
 * without persistence does): the statuses known keep deciding while Redis is away, and the reader follows the
 * stream again by itself once Redis is back.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TenantStatusRedisRestartIntegrationTests {

    private static final StubBackend backend = StubBackend.start();
    private static final TestRedis REDIS = TestRedis.startPrivate();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestIdentity.properties(registry, REDIS, backend);
    }

    @AfterAll
    static void stop() {
        backend.close();
        REDIS.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    StringRedisTemplate redis;
    @Autowired
    RedisKeys keys;

    private HttpStatus status(WebTestClient client, String tenantId) {
        return HttpStatus.valueOf(client.get().uri("/kms/v1/keys/" + UUID.randomUUID())
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.forTenant(tenantId).audience("qnsp").mint())
                .exchange().expectBody().returnResult().getStatus().value());
    }

    private void awaitStatus(WebTestClient client, String tenantId, HttpStatus expected) {
        await(tenantId + " answered " + expected).atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> status(client, tenantId), status -> status == expected);
    }

    @Test
    void theKnownStatusesKeepDecidingWhileRedisIsAwayAndTheReaderFollowsTheStreamAgainAfterARestart() {
        WebTestClient client = TestIdentity.client(port);
        TenantStatusStream stream = new TenantStatusStream(redis, keys.prefix());
        String suspended = "tenant-restart-a";
        String active = "tenant-restart-b";
        stream.suspended(suspended);
        awaitStatus(client, suspended, HttpStatus.FORBIDDEN);
        assertThat(status(client, active)).isEqualTo(HttpStatus.OK);

        REDIS.stop();
        try {
            awaitRedisGone();
            // from memory: no Redis needed to refuse, and the others pass (the rate limiter on local buckets)
            assertThat(status(client, suspended)).isEqualTo(HttpStatus.FORBIDDEN);
            assertThat(status(client, active)).isEqualTo(HttpStatus.OK);
        } finally {
            REDIS.start();
        }

        // the restarted Redis lost the stream; what billing publishes from now on still reaches the gateway
        await("Redis answering again").atMost(WAIT).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> {
                    stream.reinstated(suspended);
                    return true;
                });
        stream.suspended(active);
        awaitStatus(client, suspended, HttpStatus.OK);
        awaitStatus(client, active, HttpStatus.FORBIDDEN);
    }

    /** The server process may still answer for a moment after {@code stop()} returns. */
    private void awaitRedisGone() {
        await("Redis no longer answering").atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            try {
                redis.hasKey("probe");
                return false;
            } catch (RuntimeException gone) {
                return true;
            }
        });
    }
}
