package io.qnsp.ratelimit;

import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.EmbeddedInfrastructure;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every key change leaves an audit event on the platform's audit stream, never carrying the key itself. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class AuditTrailIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisKeys keys;

    @Test
    void createLimitsDisableEnableAndDeleteEachPublishAnAuditEventForTheKeyId() {
        RateLimitClient api = new RateLimitClient(port);
        JsonNode created = api.createKey("audited").getBody();
        String key = created.get("apiKey").asString();
        String keyId = created.get("keyId").asString();
        api.putLimits(key, Map.of("algorithm", "token_bucket", "tokensPerSecond", 3, "burstCapacity", 9));
        api.putLimits(key, Map.of("algorithm", "sliding_window", "tokensPerSecond", 3, "burstCapacity", 9));
        api.adminPost("/v1/api-keys/{key}/disable", key);
        api.adminPost("/v1/api-keys/{key}/enable", keyId);
        api.adminDelete("/v1/api-keys/{key}", key);

        List<JsonNode> events = awaitEventsFor(keyId, 6);
        assertThat(events).extracting(e -> e.get("action").asString()).containsExactly(
                "ratelimit.api_key.created", "ratelimit.api_key.limits_changed", "ratelimit.api_key.limits_changed",
                "ratelimit.api_key.disabled", "ratelimit.api_key.enabled", "ratelimit.api_key.deleted");
        assertThat(events).extracting(e -> e.get("outcome").asString())
                .containsExactly("success", "success", "failure", "success", "success", "success");
        for (JsonNode event : events) {
            assertThat(event.get("resourceType").asString()).isEqualTo("api_key");
            assertThat(event.get("resourceId").asString()).isEqualTo(keyId);
            assertThat(event.get("actor").asString()).isEqualTo("admin-token");
            assertThat(event.get("service").asString()).isEqualTo("ratelimit-service");
            assertThat(event.get("requestId").asString()).isNotBlank();
            assertThat(event.get("eventId").asString()).isNotBlank();
        }
        List<MapRecord<String, Object, Object>> raw = redis.opsForStream().range(keys.key("events:audit"),
                Range.unbounded());
        assertThat(raw.toString()).doesNotContain(key).doesNotContain(RateLimitClient.ADMIN_TOKEN);
    }

    @Test
    void readsAndChecksAreNotAudited() {
        RateLimitClient api = new RateLimitClient(port);
        JsonNode created = api.createKey("quiet").getBody();
        String key = created.get("apiKey").asString();
        String keyId = created.get("keyId").asString();
        assertThat(awaitEventsFor(keyId, 1)).hasSize(1);
        api.check(key, 1);
        api.adminGet("/v1/api-keys/{key}", key);
        api.adminGet("/v1/api-keys/{key}/limits", key);
        api.adminGet("/v1/api-keys");

        // The relay publishes in the order of the commits: once a later change is on the stream, an event of any
        // of the calls above would be there too. No waiting for something that must not happen.
        String marker = api.createKey("marker").getBody().get("keyId").asString();
        awaitEventsFor(marker, 1);
        assertThat(eventsFor(keyId)).hasSize(1);
    }

    private List<JsonNode> eventsFor(String keyId) {
        return auditEvents().stream().filter(e -> keyId.equals(e.get("resourceId").asString(null))).toList();
    }

    private List<JsonNode> awaitEventsFor(String keyId, int atLeast) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> eventsFor(keyId), events -> events.size() >= atLeast);
    }

    private List<JsonNode> auditEvents() {
        List<JsonNode> events = new ArrayList<>();
        List<MapRecord<String, Object, Object>> records = redis.opsForStream().range(keys.key("events:audit"),
                Range.unbounded());
        if (records != null) {
            for (MapRecord<String, Object, Object> record : records) {
                events.add(JSON.readTree((String) record.getValue().get("payload")));
            }
        }
        return events;
    }
}
