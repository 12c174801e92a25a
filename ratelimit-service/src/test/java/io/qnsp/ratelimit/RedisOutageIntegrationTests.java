package io.qnsp.ratelimit;

import io.qnsp.test.infra.ServiceInstances;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Redis stops while the service is serving checks: each failure mode does what it promises, never a 500. */
class RedisOutageIntegrationTests {

    private TestRedis redis;

    @BeforeEach
    void privateRedis() {
        redis = TestRedis.startPrivate();
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    @Test
    void failOpenAdmitsEveryCheckWhileRedisIsDown() {
        try (ServiceInstances instances = instances("fail-open")) {
            RateLimitClient api = new RateLimitClient(instances.start());
            String key = api.createKey("open", 1, 3);
            assertThat(api.check(key, 1).getStatusCode().value()).isEqualTo(200);

            RateLimitClient decisionServer = Transport.DECISION_SERVER.client(instances.context(0));
            redis.stop();
            assertThat(statuses(api, key, 10)).containsOnly(200);
            assertThat(statuses(decisionServer, key, 10)).containsOnly(200);

            redis.start();
            assertBackOnRedis(instances, api, key);
        }
    }

    @Test
    void failClosedAnswers503WithTheErrorBodyAndRetryAfterWhileRedisIsDown() {
        try (ServiceInstances instances = new ServiceInstances(RateLimitApplication.class, redis, Map.of(
                "qnsp.ratelimit.redis-failure-mode", "fail-closed",
                "qnsp.ratelimit.redis-retry-interval", "200ms",
                "qnsp.ratelimit.unavailable-retry-after", "2500ms"))) {
            RateLimitClient api = new RateLimitClient(instances.start());
            String key = api.createKey("closed", 1, 3);
            assertThat(api.check(key, 1).getStatusCode().value()).isEqualTo(200);

            RateLimitClient decisionServer = Transport.DECISION_SERVER.client(instances.context(0));
            assertThat(decisionServer.check(key, 1).getStatusCode().value()).isEqualTo(200);

            redis.stop();
            for (RateLimitClient client : List.of(api, decisionServer)) {
                for (int i = 0; i < 5; i++) {
                    ResponseEntity<JsonNode> refused = client.check(key, 1);
                    assertThat(refused.getStatusCode().value()).isEqualTo(503);
                    assertThat(refused.getBody().get("error").asString()).isEqualTo("rate_limiter_unavailable");
                    assertThat(refused.getBody().get("message").asString()).isNotBlank();
                    assertThat(refused.getHeaders().getFirst("X-Request-Id")).isNotBlank();
                    // the configured pause, rounded up to whole seconds, on both transports
                    assertThat(refused.getHeaders().get("Retry-After")).containsExactly("3");
                }
            }

            redis.start();
            assertBackOnRedis(instances, api, key);
        }
    }

    @Test
    void localModeKeepsEnforcingTheLimitInProcessWhileRedisIsDown() {
        try (ServiceInstances instances = instances("local")) {
            RateLimitClient api = new RateLimitClient(instances.start());
            String key = api.createKey("local", 1, 5);
            assertThat(api.check(key, 1).getStatusCode().value()).isEqualTo(200);

            redis.stop();
            // the instance's own bucket starts full: five at once, then refused, on either transport
            admittedUntilRefused(api, key, 5, 1);
            RateLimitClient decisionServer = Transport.DECISION_SERVER.client(instances.context(0));
            String otherKey = api.createKey("local-decision", 1, 3);
            admittedUntilRefused(decisionServer, otherKey, 3, 1);
            // administration keeps working on PostgreSQL alone
            String another = api.createKey("created-during-outage").getBody().get("apiKey").asString();
            assertThat(api.check(another, 1).getStatusCode().value()).isEqualTo(200);
            // readiness tells the orchestrator that a dependency is missing
            assertThat(readiness(api)).isEqualTo(503);

            redis.start();
            assertBackOnRedis(instances, api, key);
            assertThat(readiness(api)).isEqualTo(200);
        }
    }

    @Test
    void theServiceStartsWithoutRedisAndMovesToItOnceItArrives() {
        redis.stop();
        try (ServiceInstances instances = instances("local")) {
            RateLimitClient api = new RateLimitClient(instances.start());
            assertThat(readiness(api)).isEqualTo(503);
            String key = api.createKey("early", 1, 2);
            admittedUntilRefused(api, key, 2, 1);

            redis.start();
            assertBackOnRedis(instances, api, key);
            assertThat(readiness(api)).isEqualTo(200);
        }
    }

    @Test
    void aKeyChangeMadeWhileRedisIsDownReachesTheOtherInstanceOnceRedisIsBack() {
        try (ServiceInstances instances = instances("local")) {
            RateLimitClient first = new RateLimitClient(instances.start());
            RateLimitClient second = new RateLimitClient(instances.start());
            String key = first.createKey("changed-during-outage", 100, 1000);
            assertThat(second.check(key, 1).getStatusCode().value()).isEqualTo(200); // now cached there

            redis.stop();
            assertThat(first.adminPost("/v1/api-keys/{key}/disable", key).getStatusCode().is2xxSuccessful()).isTrue();
            assertThat(first.check(key, 1).getStatusCode().value()).isEqualTo(401);
            // no notice can travel: the second instance still serves its cached entry (it expires after minutes)
            assertThat(second.check(key, 1).getStatusCode().value()).isEqualTo(200);

            redis.start();
            // far within the cache's expiry of minutes: only the notice can have ended the cached entry
            await("the disabled key, on the instance that cached it").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100)).until(() -> second.check(key, 1).getStatusCode().value() == 401);
        }
    }

    private ServiceInstances instances(String failureMode) {
        return new ServiceInstances(RateLimitApplication.class, redis, Map.of(
                "qnsp.ratelimit.redis-failure-mode", failureMode,
                "qnsp.ratelimit.redis-retry-interval", "200ms"));
    }

    private static int readiness(RateLimitClient api) {
        return api.plain().get().uri("/actuator/health/readiness").retrieve().toBodilessEntity()
                .getStatusCode().value();
    }

    private static List<Integer> statuses(RateLimitClient api, String key, int count) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            statuses.add(api.check(key, 1).getStatusCode().value());
        }
        return statuses;
    }

    /**
     * Checks until the first 429: the burst passes at once, and more only as far as the bucket refilled meanwhile
     * (a loaded machine may take a second for a few checks), never more.
     */
    private static void admittedUntilRefused(RateLimitClient api, String key, int burst, int perSecond) {
        long started = System.nanoTime();
        List<Integer> statuses = new ArrayList<>();
        do {
            statuses.add(api.check(key, 1).getStatusCode().value());
        } while (statuses.getLast() == 200 && statuses.size() <= 1000);
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(statuses.getLast()).as("%s", statuses).isEqualTo(429);
        assertThat(statuses.size() - 1).as("admitted in %.2f s", seconds)
                .isBetween(burst, burst + (int) Math.floor(perSecond * seconds));
    }

    /** After Redis returns, decisions are made on Redis again: its bucket for the key reappears. */
    private static void assertBackOnRedis(ServiceInstances instances, RateLimitClient api, String key) {
        StringRedisTemplate template = instances.context(0).getBean(StringRedisTemplate.class);
        await("the engine went back to Redis").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(api.check(key, 1).getStatusCode().value()).isIn(200, 429, 503);
                    try {
                        return !template.keys(instances.keyPrefix() + "rl:*").isEmpty();
                    } catch (RuntimeException stillReconnecting) {
                        return false;
                    }
                });
        assertThat(api.check(key, 1).getStatusCode().value()).isIn(200, 429);
    }
}
