package io.qnsp.kpi.web;

import io.qnsp.kpi.KpiApplication;
import io.qnsp.kpi.KpiClient;
import io.qnsp.test.infra.ServiceInstances;
import io.qnsp.test.infra.TestRedis;
import io.qnsp.test.token.TestTokenIssuer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.kpi.KpiAssertions.assertError;
import static io.qnsp.test.http.ApiAssertions.ok;
import static io.qnsp.kpi.KpiClient.BASE;
import static io.qnsp.kpi.KpiClient.body;
import static io.qnsp.kpi.KpiClient.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The two server-side rows of spec 000's error table on a real instance: 500 {@code internal_error} for a failure
 * nobody planned for (its store's table gone), revealing nothing of it; 503 {@code dependency_down} while Redis, which
 * holds the rate limits, is away and the limiter is set to refuse meanwhile; the service is back when Redis is.
 */
class FailureModesIntegrationTests {

    @Test
    void anUnexpectedFailureIsAnInternalErrorAndAMissingDependencyIsDependencyDown() {
        TestRedis redis = TestRedis.startPrivate();
        try (ServiceInstances instances = new ServiceInstances(KpiApplication.class, redis, Map.of(
                "spring.security.oauth2.resourceserver.jwt.issuer-uri", TestTokenIssuer.shared().issuer(),
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri", TestTokenIssuer.shared().jwkSetUri(),
                "qnsp.ratelimit.redis-failure-mode", "fail-closed"))) {
            KpiClient api = KpiClient.of(instances.start(), "tenant-" + UUID.randomUUID());
            api.define("orders", "sum");
            Map<String, Object> query = body("kpi", "orders", "window", window("2025-10-01", "2025-10-02"));
            ok(api.query(query));

            JdbcTemplate jdbc = new JdbcTemplate(instances.context(0).getBean(DataSource.class));
            jdbc.execute("ALTER TABLE kpi_sample RENAME TO kpi_sample_away");
            try {
                JsonNode internal = assertError(api.query(query), 500, "internal_error");
                assertThat(internal.toString()).doesNotContain("kpi_sample").doesNotContain("SQL");
            } finally {
                jdbc.execute("ALTER TABLE kpi_sample_away RENAME TO kpi_sample");
            }
            ok(api.query(query));

            redis.stop();
            JsonNode down = assertError(api.get(BASE + "/kpis"), 503, "dependency_down");
            assertThat(down.get("details").get("dependency").asString()).isEqualTo("redis");
            redis.start();
            // the limiter tries Redis again after its retry interval
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> api.get(BASE + "/kpis").getStatusCode().value() == 200);
        } finally {
            redis.close();
        }
    }
}
