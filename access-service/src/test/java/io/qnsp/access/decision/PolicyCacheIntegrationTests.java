package io.qnsp.access.decision;

import io.qnsp.access.AccessApi;
import io.qnsp.access.AccessApplication;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.ServiceInstances;
import io.qnsp.test.infra.TestRedis;
import io.qnsp.test.token.TestTokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.qnsp.access.AccessApi.body;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances of the service on one database and one Redis: a policy changed through one is in force on the other
 * from the moment the change answered, a warm copy decides without the database, and a copy Redis has forgotten is
 * reloaded rather than trusted.
 */
class PolicyCacheIntegrationTests {

    static ServiceInstances instances;
    static int first;
    static int second;

    String tenant;
    AccessApi viaFirst;
    AccessApi viaSecond;

    @BeforeAll
    static void start() {
        instances = new ServiceInstances(AccessApplication.class, TestRedis.shared(), Map.of(
                "spring.security.oauth2.resourceserver.jwt.issuer-uri", TestTokenIssuer.shared().issuer(),
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri", TestTokenIssuer.shared().jwkSetUri()));
        first = instances.start();
        second = instances.start();
    }

    @AfterAll
    static void stop() {
        instances.close();
    }

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        viaFirst = AccessApi.of(first, tenant, "admin-1", AccessApi.ALL_SCOPES);
        viaSecond = AccessApi.of(second, tenant, "svc-1", AccessApi.ALL_SCOPES);
    }

    @Test
    void aChangeThroughOneInstanceIsInForceOnTheOtherAtOnce() {
        String id = viaFirst.createPolicy("readers", "allow", List.of("user:*"), List.of("document:*"),
                List.of("read"));
        assertThat(viaSecond.decision("user:alice", "document:d1", "read")).isEqualTo("allow");
        assertThat(viaSecond.decision("user:alice", "document:d1", "read")).isEqualTo("allow");

        ok(viaFirst.put("/access/v1/policies/" + id, body("name", "readers", "effect", "allow",
                "principals", List.of("user:bob"), "resources", List.of("document:*"), "actions", List.of("read"))));
        assertThat(viaSecond.decision("user:alice", "document:d1", "read")).isEqualTo("deny");
        assertThat(viaSecond.decision("user:bob", "document:d1", "read")).isEqualTo("allow");

        String deny = viaSecond.createPolicy("freeze", "deny", List.of("*"), List.of("*"), List.of("*"));
        assertThat(viaFirst.decision("user:bob", "document:d1", "read")).isEqualTo("deny");
        ok(viaFirst.delete("/access/v1/policies/" + deny), 204);
        assertThat(viaSecond.decision("user:bob", "document:d1", "read")).isEqualTo("allow");
    }

    @Test
    void aWarmCopyDecidesWhileTheDatabaseCannotBeRead() throws Exception {
        viaFirst.createPolicy("readers", "allow", List.of("user:alice"), List.of("document:*"), List.of("read"));
        assertThat(viaSecond.decision("user:alice", "document:d1", "read")).isEqualTo("allow");

        Environment environment = instances.context(1).getEnvironment();
        try (Connection connection = DriverManager.getConnection(environment.getProperty("spring.datasource.url"),
                environment.getProperty("spring.datasource.username"),
                environment.getProperty("spring.datasource.password"))) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                // not even a read of the policies or their version gets through now
                statement.execute("LOCK TABLE access.access_policy, access.access_tenant_version "
                        + "IN ACCESS EXCLUSIVE MODE");
            }
            CompletableFuture<String> decision = CompletableFuture.supplyAsync(
                    () -> viaSecond.decision("user:alice", "document:d2", "read"));
            assertThat(decision.get(30, TimeUnit.SECONDS)).isEqualTo("allow");
            connection.rollback();
        }
    }

    @Test
    void aCopyWhoseVersionRedisForgotIsReloaded() {
        String id = viaFirst.createPolicy("readers", "allow", List.of("user:alice"), List.of("document:*"),
                List.of("read"));
        assertThat(viaSecond.decision("user:alice", "document:d1", "read")).isEqualTo("allow");

        // the change commits, but its publication is lost (as if Redis had restarted empty right after it)
        ok(viaFirst.put("/access/v1/policies/" + id, body("name", "readers", "effect", "deny",
                "principals", List.of("user:alice"), "resources", List.of("document:*"), "actions", List.of("read"))));
        RedisKeys keys = instances.context(0).getBean(RedisKeys.class);
        instances.context(0).getBean(StringRedisTemplate.class).delete(keys.key("access:policy-version:" + tenant));

        assertThat(viaSecond.decision("user:alice", "document:d1", "read")).isEqualTo("deny");
        assertThat(viaFirst.decision("user:alice", "document:d1", "read")).isEqualTo("deny");
    }
}
