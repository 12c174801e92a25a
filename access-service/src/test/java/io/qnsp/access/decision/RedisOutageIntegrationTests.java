package io.qnsp.access.decision;

import io.qnsp.access.AccessApi;
import io.qnsp.access.AccessApplication;
import io.qnsp.test.infra.ServiceInstances;
import io.qnsp.test.infra.TestRedis;
import io.qnsp.test.token.TestTokenIssuer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.access.AccessApi.body;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances sharing a Redis that goes away and comes back empty: decisions stay correct throughout (read from
 * the database while the versions cannot be), and changes made meanwhile are in force everywhere.
 */
class RedisOutageIntegrationTests {

    @Test
    void withoutRedisEveryInstanceDecidesOnTheDatabaseAndNothingStaleSurvivesItsReturn() {
        TestRedis redis = TestRedis.startPrivate();
        try (ServiceInstances instances = new ServiceInstances(AccessApplication.class, redis, Map.of(
                "spring.security.oauth2.resourceserver.jwt.issuer-uri", TestTokenIssuer.shared().issuer(),
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri", TestTokenIssuer.shared().jwkSetUri()))) {
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
            assertThat(second.decision("user:bob", "document:d1", "read")).isEqualTo("deny");
            ok(second.delete("/access/v1/policies/" + freeze), 204);
            assertThat(first.decision("user:bob", "document:d1", "read")).isEqualTo("allow");
        } finally {
            redis.close();
        }
    }
}
