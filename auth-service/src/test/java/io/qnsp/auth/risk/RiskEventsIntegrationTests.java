package io.qnsp.auth.risk;

import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.qnsp.auth.risk.TestLogins.PARIS;
import static io.qnsp.auth.risk.TestLogins.of;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every risk endpoint leaves an audit event on the platform's audit stream, and every evaluation a usage event
 * for the billable operation {@code auth.risk_evaluation}; a refused evaluation is audited but not billed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class RiskEventsIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisKeys keys;

    @Test
    void evaluationsAreMeteredAndAudited() {
        String tenant = RiskApi.freshTenant();
        RiskApi api = RiskApi.of(port, tenant);
        String first = api.evaluated(of("metered").from(PARIS).device("fp-secret-device").body())
                .get("evaluationId").asString();
        String second = api.evaluated(of("metered").from(PARIS).device("fp-secret-device").body())
                .get("evaluationId").asString();
        // refused inside the evaluation: audited as a failure, not billed
        assertThat(api.evaluate(of("metered").previousLoginAt(Instant.parse("2999-01-01T00:00:00Z")).body())
                .getStatusCode().value()).isEqualTo(400);

        // The relay publishes in the order of the commits: once the refused evaluation's audit event is on the
        // stream, a usage event of it would be too. No waiting for something that must not happen.
        List<JsonNode> audit = await("audit", e -> tenant.equals(text(e, "tenantId")), 3);
        List<JsonNode> usage = events("usage", e -> tenant.equals(text(e, "tenantId")));
        assertThat(usage).hasSize(2);
        for (JsonNode event : usage) {
            assertThat(event.get("operation").asString()).isEqualTo("auth.risk_evaluation");
            assertThat(event.get("quantity").asLong()).isEqualTo(1);
            assertThat(event.get("principal").asString()).isEqualTo("risk-engine");
            assertThat(event.get("service").asString()).isEqualTo("auth-service");
            assertThat(event.get("requestId").asString()).isNotBlank();
        }

        assertThat(audit).extracting(e -> e.get("action").asString()).containsOnly("auth.risk.evaluated");
        assertThat(audit).extracting(e -> text(e, "resourceId")).contains(first, second);
        assertThat(audit).extracting(e -> e.get("outcome").asString())
                .containsExactlyInAnyOrder("success", "success", "failure");
        JsonNode failure = audit.stream().filter(e -> e.get("outcome").asString().equals("failure")).findFirst()
                .orElseThrow();
        assertThat(failure.get("details").get("status").asString()).isEqualTo("400");
        for (JsonNode event : audit) {
            assertThat(event.get("resourceType").asString()).isEqualTo("risk_evaluation");
            assertThat(event.get("actor").asString()).isEqualTo("risk-engine");
        }
        // the login's inputs stay in auth-service
        assertThat(rawStream("audit") + rawStream("usage")).doesNotContain("fp-secret-device")
                .doesNotContain("203.0.113.10");
    }

    @Test
    void everyRiskEndpointIsAudited() {
        String tenant = RiskApi.freshTenant();
        RiskApi api = RiskApi.of(port, tenant, "risk:read", "risk:write");
        String policyId = api.createdPolicy(Map.of("name", "audited", "conditions", Map.of("riskScoreThreshold", 50)));
        api.get("/auth/risk/policies");
        api.get("/auth/risk/policies/{id}", policyId);
        api.put("/auth/risk/policies/{id}", Map.of("name", "audited", "conditions", Map.of("riskScoreThreshold", 60)),
                policyId);
        String signalId = api.reportSignal(Map.of("userId", "watched", "signalType", "brute_force",
                "severity", "high")).getBody().get("signalId").asString();
        api.get("/auth/risk/users/{user}/signals", "watched");
        api.get("/auth/risk/stats?period=7d");
        api.delete("/auth/risk/policies/{id}", policyId);
        RiskApi.of(port, tenant, "risk:write").get("/auth/risk/stats");

        List<JsonNode> audit = await("audit", e -> tenant.equals(text(e, "tenantId")), 9);
        assertThat(audit).extracting(e -> e.get("action").asString() + " " + e.get("outcome").asString()
                + " " + text(e, "resourceType") + " " + text(e, "resourceId")).containsExactly(
                "auth.risk.policy.created success risk_policy " + policyId,
                "auth.risk.policies.listed success risk_policy null",
                "auth.risk.policy.read success risk_policy " + policyId,
                "auth.risk.policy.updated success risk_policy " + policyId,
                "auth.risk.signal.recorded success risk_signal " + signalId,
                "auth.risk.signals.read success user watched",
                "auth.risk.stats.read success risk_stats null",
                "auth.risk.policy.deleted success risk_policy " + policyId,
                "auth.risk.stats.read denied risk_stats null");
        for (JsonNode event : audit) {
            assertThat(event.get("service").asString()).isEqualTo("auth-service");
            assertThat(event.get("requestId").asString()).isNotBlank();
            assertThat(event.get("eventId").asString()).isNotBlank();
        }
        assertThat(audit.getLast().get("details").get("status").asString()).isEqualTo("403");
        // reads and policy management are not billable; with the last audit event on the stream, a usage event of
        // any of these calls would be there too (the relay publishes in the order of the commits)
        assertThat(events("usage", e -> tenant.equals(text(e, "tenantId")))).isEmpty();
    }

    private List<JsonNode> await(String stream, Predicate<JsonNode> filter, int atLeast) {
        return Awaitility.await(atLeast + " events on " + stream).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> events(stream, filter), found -> found.size() >= atLeast);
    }

    private List<JsonNode> events(String stream, Predicate<JsonNode> filter) {
        List<JsonNode> events = new ArrayList<>();
        List<MapRecord<String, Object, Object>> records = redis.opsForStream().range(keys.key("events:" + stream),
                Range.unbounded());
        if (records != null) {
            for (MapRecord<String, Object, Object> record : records) {
                JsonNode event = JSON.readTree((String) record.getValue().get("payload"));
                if (filter.test(event)) {
                    events.add(event);
                }
            }
        }
        return events;
    }

    private String rawStream(String stream) {
        List<MapRecord<String, Object, Object>> records = redis.opsForStream().range(keys.key("events:" + stream),
                Range.unbounded());
        return String.valueOf(records);
    }

    private static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value == null || value.isNull() ? "null" : value.asString();
    }
}
