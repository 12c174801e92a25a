package io.qnsp.access.decision;

import io.qnsp.access.AccessApi;
import io.qnsp.access.AccessApplication;
import io.qnsp.test.infra.ServiceInstances;
import io.qnsp.test.infra.TestRedis;
import io.qnsp.test.token.TestTokenIssuer;
import io.qnsp.common.redis.RedisKeys;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.access.AccessApi.body;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances sharing a Redis that goes away and comes back empty: decisions stay correct throughout (read from
 * the database while the versions cannot be), and changes made meanwhile are in force everywhere.
 * <p>
 * Redis coming back does not mean every instance is connected again at that moment: an instance that has not yet
 * reconnected cannot publish a change it commits, and keeps that publication until Redis takes it. Where the test
 * depends on such a publication it waits for it, bounded well below the {@code cache-max-age} (5 min) that was
 * once the only bound.
 */
class RedisOutageIntegrationTests {

    @Test
    void withoutRedisEveryInstanceDecidesOnTheDatabaseAndNothingStaleSurvivesItsReturn() {
        TestRedis redis = TestRedis.startPrivate();
        try (ServiceInstances instances = accessInstances(redis)) {
            String tenant = "tenant-" + UUID.randomUUID();
            AccessApi first = AccessApi.of(instances.start(), tenant, "admin-1", AccessApi.ALL_SCOPES);
            AccessApi second = AccessApi.of(instances.start(), tenant, "svc-1", AccessApi.ALL_SCOPES);
            String id = first.createPolicy("readers", "allow", List.of("user:*"), List.of("document:*"),
                    List.of("read"));
            assertThat(second.decision("user:alice", "document:d1", "read")).isEqualTo("allow");

            redis.stop();
            ok(first.put("/access/v1/policies/" + id, body("name", "readers", "effect", "allow",
                    "principals", List.of("user:bob"), "resources", List.of("document:*"), "actions", List.of("read"))));
            assertThat(second.decision("user:alice", "document:d1", "read")).isEqualTo("deny");
            assertThat(second.decision("user:bob", "document:d1", "read")).isEqualTo("allow");

            redis.start();
            assertThat(second.decision("user:alice", "document:d1", "read")).isEqualTo("deny");
            String freeze = first.createPolicy("freeze", "deny", List.of("*"), List.of("*"), List.of("*"));
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(second.decision("user:bob", "document:d1", "read")).isEqualTo("deny"));
            ok(second.delete("/access/v1/policies/" + freeze), 204);
            assertThat(first.decision("user:bob", "document:d1", "read")).isEqualTo("allow");
        } finally {
            redis.close();
        }
    }

    @Test
    void aChangeCommittedWhileRedisWasAwayIsPublishedOnceItIsBackWithoutAnyCheckAskingForIt() {
        TestRedis redis = TestRedis.startPrivate();
        try (ServiceInstances instances = accessInstances(redis)) {
            String tenant = "tenant-" + UUID.randomUUID();
            AccessApi writer = AccessApi.of(instances.start(), tenant, "admin-1", AccessApi.ALL_SCOPES);
            ConfigurableApplicationContext context = instances.context(0);
            StringRedisTemplate redisOfService = context.getBean(StringRedisTemplate.class);
            String versionKey = context.getBean(RedisKeys.class).key("access:policy-version:" + tenant);
            String id = writer.createPolicy("readers", "allow", List.of("user:*"), List.of("document:*"),
                    List.of("read"));
            assertThat(redisOfService.opsForValue().get(versionKey)).isEqualTo("1");

            redis.stop();
            ok(writer.put("/access/v1/policies/" + id, body("name", "readers", "effect", "allow", "principals",
                    List.of("user:bob"), "resources", List.of("document:*"), "actions", List.of("read"))));
            redis.start();

            // Redis came back empty and nothing has asked for a decision: only the kept publication can put 2 there
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() ->
                    assertThat(redisOfService.opsForValue().get(versionKey)).isEqualTo("2"));
        } finally {
            redis.close();
        }
    }

    /** Instances of access-service sharing the given Redis, trusting the test token issuer. */
    private static ServiceInstances accessInstances(TestRedis redis) {
        return new ServiceInstances(AccessApplication.class, redis, Map.of(
                "spring.security.oauth2.resourceserver.jwt.issuer-uri", TestTokenIssuer.shared().issuer(),
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri", TestTokenIssuer.shared().jwkSetUri()));
    }
}
