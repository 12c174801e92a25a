package io.qnsp.audit.streaming;

import io.qnsp.audit.TestEvents;
import io.qnsp.audit.WebhookReceiver;
import io.qnsp.audit.delivery.WebhookSignature;
import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.audit.streaming.StreamingApi.error;
import static io.qnsp.audit.streaming.StreamingApi.invalid;
import static io.qnsp.audit.streaming.StreamingApi.ok;
import static io.qnsp.audit.streaming.StreamingApi.webhook;
import static org.assertj.core.api.Assertions.assertThat;

/** Streaming subscriptions over real HTTP: management, validation, scopes, tenants, and webhook deliveries. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class SubscriptionApiIntegrationTests {

    private static final String SECRET = "whsec_" + java.util.Base64.getEncoder()
            .encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @LocalServerPort
    int port;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisKeys keys;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcTemplate jdbc;

    TestEvents events;
    String tenant;
    StreamingApi api;

    @BeforeEach
    void setUp() {
        events = new TestEvents(redis, keys, json, jdbc);
        tenant = "tenant-" + UUID.randomUUID();
        api = new StreamingApi(port, TestTokens.forTenant(tenant).subject("user-1").scopes("audit:stream").mint());
    }

    @Test
    void aSubscriptionIsCreatedListedReadChangedAndDeleted() {
        try (WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
            ResponseEntity<JsonNode> response = api.post("/v1/streaming/subscriptions", """
                    {"name": " SIEM export ",
                     "filters": {"eventTypes": ["auth.api_key.*", "auth.api_key.*"], "services": ["auth-service"],
                                 "severities": ["WARNING", "critical"]},
                     "destination": {"type": "webhook", "config": {"url": "%s", "secret": "%s",
                                     "headers": {"X-Team": "blue"}}}}""".formatted(receiver.url(), SECRET));

            assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(201);
            JsonNode created = response.getBody();
            String id = created.get("subscriptionId").asString();
            assertThat(id).matches("sub_[0-9A-HJKMNP-TV-Z]{26}");
            assertThat(response.getHeaders().getLocation()).hasToString("/v1/streaming/subscriptions/" + id);
            assertThat(created.get("name").asString()).isEqualTo("SIEM export");
            assertThat(created.get("status").asString()).isEqualTo("active");
            assertThat(Instant.parse(created.get("createdAt").asString())).isBefore(Instant.now().plusSeconds(1));
            assertThat(created.get("filters").toString()).isEqualTo("{\"eventTypes\":[\"auth.api_key.*\"],"
                    + "\"services\":[\"auth-service\"],\"severities\":[\"warning\",\"critical\"]}");
            assertThat(created.get("destination").toString()).isEqualTo("{\"type\":\"webhook\",\"config\":"
                    + "{\"url\":\"" + receiver.url() + "\",\"headers\":{\"X-Team\":\"********\"}}}");

            JsonNode read = ok(api.get("/v1/streaming/subscriptions/" + id));
            assertThat(read).isEqualTo(created);
            assertThat(ok(api.get("/v1/streaming/subscriptions")).get("subscriptions")).containsExactly(created);

            JsonNode paused = ok(api.patch("/v1/streaming/subscriptions/" + id,
                    "{\"status\": \"paused\", \"name\": \"renamed\"}"));
            assertThat(paused.get("status").asString()).isEqualTo("paused");
            assertThat(paused.get("name").asString()).isEqualTo("renamed");
            assertThat(paused.get("filters")).isEqualTo(created.get("filters"));
            JsonNode refiltered = ok(api.patch("/v1/streaming/subscriptions/" + id,
                    "{\"filters\": {\"severities\": [\"info\"]}}"));
            assertThat(refiltered.get("filters").toString())
                    .isEqualTo("{\"eventTypes\":[],\"services\":[],\"severities\":[\"info\"]}");
            assertThat(refiltered.get("status").asString()).isEqualTo("paused");
            assertThat(ok(api.get("/v1/streaming/subscriptions/" + id)).get("name").asString()).isEqualTo("renamed");

            assertThat(api.delete("/v1/streaming/subscriptions/" + id).getStatusCode().value()).isEqualTo(204);
            error(api.get("/v1/streaming/subscriptions/" + id), 404, "NOT_FOUND");
            error(api.delete("/v1/streaming/subscriptions/" + id), 404, "NOT_FOUND");
            assertThat(ok(api.get("/v1/streaming/subscriptions")).get("subscriptions").size()).isZero();
        }
    }

    @Test
    void secretsAreSealedAtRestAndNeverShownExceptAGeneratedOneOnCreation() {
        JsonNode generated = api.create(webhook("gen", "http://127.0.0.1:9/hook", null, null));
        String secret = generated.get("destination").get("config").get("secret").asString();
        assertThat(WebhookSignature.isValidSecret(secret)).isTrue();
        assertThat(secret).startsWith("whsec_");
        String id = generated.get("subscriptionId").asString();
        assertThat(ok(api.get("/v1/streaming/subscriptions/" + id)).get("destination").get("config").has("secret"))
                .isFalse();

        JsonNode given = api.create(webhook("given", "http://127.0.0.1:9/hook", SECRET, null));
        assertThat(given.get("destination").get("config").has("secret")).isFalse();

        JsonNode sqs = api.create("""
                {"name": "queue", "destination": {"type": "sqs", "config": {
                  "queueUrl": "http://127.0.0.1:9324/000000000000/audit", "region": "eu-west-1",
                  "endpoint": "http://127.0.0.1:9324", "accessKeyId": "AKIAEXAMPLEKEY123456",
                  "secretAccessKey": "very-secret-access-key"}}}""");
        assertThat(sqs.get("destination").get("config").toString()).isEqualTo("{\"queueUrl\":"
                + "\"http://127.0.0.1:9324/000000000000/audit\",\"region\":\"eu-west-1\",\"endpoint\":"
                + "\"http://127.0.0.1:9324\",\"accessKeyId\":\"AKIAEXAMPLEKEY123456\"}");

        String stored = jdbc.queryForList("SELECT destination_config::text || encode(destination_secrets, 'escape')"
                + " FROM stream_subscription WHERE tenant_id = ?", String.class, tenant).toString();
        assertThat(stored).doesNotContain(secret).doesNotContain(SECRET).doesNotContain("very-secret-access-key");
    }

    @Test
    void badRequestsAreRefusedNamingTheField() {
        String url = "http://127.0.0.1:9/hook";
        String subscriptions = "/v1/streaming/subscriptions";
        invalid(api.post(subscriptions, "{\"destination\": {\"type\": \"webhook\", \"config\": {\"url\": \""
                + url + "\"}}}"), "name");
        invalid(api.post(subscriptions, webhook("x".repeat(201), url, null, null)), "name");
        invalid(api.post(subscriptions, "{\"name\": \"n\"}"), "destination");
        invalid(api.post(subscriptions, "{\"name\": \"n\", \"destination\": {\"config\": {}}}"), "destination.type");
        invalid(api.post(subscriptions, "{\"name\": \"n\", \"destination\": {\"type\": \"ftp\", \"config\": {}}}"),
                "destination.type");
        invalid(api.post(subscriptions, "{\"name\": \"n\", \"destination\": {\"type\": \"webhook\"}}"),
                "destination.config");
        invalid(api.post(subscriptions, "{\"name\": \"n\", \"destination\": {\"type\": \"webhook\", \"config\": 5}}"),
                "destination.config");
        invalid(api.post(subscriptions, "{\"name\": \"n\", \"destination\": {\"type\": \"webhook\", \"config\": {}}}"),
                "destination.config.url");
        invalid(api.post(subscriptions, webhook("n", "ftp://example.com/x", null, null)), "destination.config.url");
        invalid(api.post(subscriptions, webhook("n", url, "not-a-secret", null)), "destination.config.secret");
        invalid(api.post(subscriptions, """
                {"name": "n", "destination": {"type": "webhook", "config": {"url": "%s", "headers": {"Host": "x"}}}}"""
                .formatted(url)), "destination.config.headers.Host");
        invalid(api.post(subscriptions, """
                {"name": "n", "destination": {"type": "webhook", "config": {"url": "%s", "urll": "x"}}}"""
                .formatted(url)), "destination.config.urll");
        invalid(api.post(subscriptions, webhook("n", url, null, "{\"severities\": [\"info\", \"loud\"]}")),
                "filters.severities[1]");
        invalid(api.post(subscriptions, webhook("n", url, null, "{\"eventTypes\": [\"a\", \" \"]}")),
                "filters.eventTypes[1]");
        invalid(api.post(subscriptions, webhook("n", url, null, "{\"eventTypes\": [\"a*b\"]}")),
                "filters.eventTypes[0]");
        invalid(api.post(subscriptions, webhook("n", url, null, "{\"services\": \"auth-service\"}")),
                "filters.services");
        invalid(api.post(subscriptions, kafka("{\"topic\": \"t\"}")), "destination.config.bootstrapServers");
        invalid(api.post(subscriptions, kafka("{\"bootstrapServers\": \"localhost\", \"topic\": \"t\"}")),
                "destination.config.bootstrapServers");
        invalid(api.post(subscriptions, kafka("{\"bootstrapServers\": [\"127.0.0.1:9092\", \"x:0\"], \"topic\": \"t\"}")),
                "destination.config.bootstrapServers[1]");
        invalid(api.post(subscriptions, kafka("{\"bootstrapServers\": \"127.0.0.1:9092\", \"topic\": \"a b\"}")),
                "destination.config.topic");
        invalid(api.post(subscriptions, kafka("{\"bootstrapServers\": \"127.0.0.1:9092\"}")), "destination.config.topic");
        invalid(api.post(subscriptions, sqs("{\"region\": \"us-east-1\", \"accessKeyId\": \"AKIAEXAMPLEKEY123456\","
                + " \"secretAccessKey\": \"s\"}")), "destination.config.queueUrl");
        invalid(api.post(subscriptions, sqs("{\"queueUrl\": \"http://127.0.0.1:1/q\", \"region\": \"mars\","
                + " \"accessKeyId\": \"AKIAEXAMPLEKEY123456\", \"secretAccessKey\": \"s\"}")), "destination.config.region");
        invalid(api.post(subscriptions, sqs("{\"queueUrl\": \"http://127.0.0.1:1/q\", \"region\": \"us-east-1\"}")),
                "destination.config.accessKeyId");
        invalid(api.post(subscriptions, sqs("{\"queueUrl\": \"http://127.0.0.1:1/q\", \"region\": \"us-east-1\","
                + " \"accessKeyId\": \"AKIAEXAMPLEKEY123456\"}")), "destination.config.secretAccessKey");
        invalid(api.post(subscriptions, sqs("{\"queueUrl\": \"http://127.0.0.1:1/q\", \"region\": \"us-east-1\","
                + " \"endpoint\": \"not a url\", \"accessKeyId\": \"AKIAEXAMPLEKEY123456\", \"secretAccessKey\": \"s\"}")),
                "destination.config.endpoint");
        invalid(api.post(subscriptions, "{\"name\": "), "body");

        String id = api.create(webhook("n", url, null, null)).get("subscriptionId").asString();
        invalid(api.patch(subscriptions + "/" + id, "{\"status\": \"stopped\"}"), "status");
        invalid(api.patch(subscriptions + "/" + id, "{}"), "body");
        invalid(api.patch(subscriptions + "/" + id, "{\"name\": \"\"}"), "name");
        assertThat(ok(api.get("/v1/streaming/subscriptions")).get("subscriptions").size()).isEqualTo(1);
    }

    @Test
    void theStreamScopeIsRequiredAndTenantsAreKeptApart() {
        String id = api.create(webhook("mine", "http://127.0.0.1:9/hook", null, null)).get("subscriptionId")
                .asString();
        StreamingApi noScope = new StreamingApi(port, TestTokens.forTenant(tenant).subject("u").scopes("audit:read")
                .mint());
        StreamingApi anonymous = new StreamingApi(port, null);
        StreamingApi admin = new StreamingApi(port, TestTokens.forTenant(tenant).subject("a").roles("admin").mint());
        StreamingApi stranger = new StreamingApi(port, TestTokens.forTenant("tenant-" + UUID.randomUUID())
                .subject("u").scopes("audit:stream").mint());

        for (ResponseEntity<JsonNode> refused : List.of(noScope.get("/v1/streaming/subscriptions"),
                noScope.get("/v1/streaming/subscriptions/" + id), noScope.delete("/v1/streaming/subscriptions/" + id),
                noScope.post("/v1/streaming/subscriptions", webhook("x", "http://127.0.0.1:9/h", null, null)),
                noScope.get("/v1/streaming/metrics"))) {
            error(refused, 403, "INSUFFICIENT_SCOPE");
        }
        error(anonymous.get("/v1/streaming/subscriptions"), 401, "UNAUTHORIZED");
        error(anonymous.get("/v1/streaming/metrics"), 401, "UNAUTHORIZED");
        assertThat(ok(admin.get("/v1/streaming/subscriptions")).get("subscriptions").size()).isEqualTo(1);

        assertThat(ok(stranger.get("/v1/streaming/subscriptions")).get("subscriptions").size()).isZero();
        error(stranger.get("/v1/streaming/subscriptions/" + id), 404, "NOT_FOUND");
        error(stranger.patch("/v1/streaming/subscriptions/" + id, "{\"status\": \"paused\"}"), 404, "NOT_FOUND");
        error(stranger.delete("/v1/streaming/subscriptions/" + id), 404, "NOT_FOUND");
        JsonNode theirMetrics = ok(stranger.get("/v1/streaming/metrics"));
        assertThat(theirMetrics.get("subscriptionMetrics").size()).isZero();
        assertThat(ok(api.get("/v1/streaming/subscriptions/" + id)).get("status").asString()).isEqualTo("active");
    }

    @Test
    void aWebhookIsRetriedWithTheSameIdAndSignedEveryTime() {
        try (WebhookReceiver receiver = WebhookReceiver.start(SECRET).answer(500, 500)) {
            String id = api.create(webhook("hook", receiver.url(), SECRET, null)).get("subscriptionId").asString();
            AuditEvent event = new AuditEvent(UUID.randomUUID(), Instant.parse("2026-01-15T10:30:00Z"), tenant,
                    "user-1", "auth.api_key.created", "api_key", "key_1", "success", "rid-1", "auth-service",
                    Map.of("name", "Zoë's key"));

            events.publish(event);

            List<WebhookReceiver.Received> received = receiver.await(3, Duration.ofSeconds(20));
            assertThat(received).hasSize(3);
            assertThat(received).extracting(WebhookReceiver.Received::answeredStatus).containsExactly(500, 500, 200);
            assertThat(received).extracting(WebhookReceiver.Received::webhookId).containsOnly(received.getFirst()
                    .webhookId());
            assertThat(received.getFirst().webhookId()).startsWith("del_");
            assertThat(received).allMatch(WebhookReceiver.Received::verified);
            JsonNode body = json.readTree(received.getLast().body());
            assertThat(body.get("type").asString()).isEqualTo("audit_event");
            assertThat(body.get("timestamp").asString()).isEqualTo("2026-01-15T10:30:00Z");
            JsonNode data = body.get("data");
            assertThat(data.get("eventId").asString()).isEqualTo(event.eventId().toString());
            assertThat(data.get("eventType").asString()).isEqualTo("auth.api_key.created");
            assertThat(data.get("tenantId").asString()).isEqualTo(tenant);
            assertThat(data.get("severity").asString()).isEqualTo("info");
            assertThat(data.get("details").get("name").asString()).isEqualTo("Zoë's key");
            assertThat(data.get("sequence").asLong()).isPositive();

            TestEvents.await(() -> metricOf(id).get("eventsDelivered").asLong() == 1, "the delivery counted");
            JsonNode metric = metricOf(id);
            assertThat(metric.get("lastEventAt").isNull()).isFalse();
            assertThat(metric.get("deliveriesPending").asLong()).isZero();
            JsonNode metrics = ok(api.get("/v1/streaming/metrics"));
            assertThat(metrics.get("totalEventsStreamed").asLong()).isEqualTo(1);
            assertThat(metrics.get("eventsPerSecond").asDouble()).isGreaterThan(0);
        }
    }

    @Test
    void onlyMatchingEventsOfTheTenantReachAnActiveSubscription() {
        try (WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
            String id = api.create(webhook("filtered", receiver.url(), SECRET,
                    "{\"eventTypes\": [\"auth.api_key.*\"], \"severities\": [\"warning\"]}")).get("subscriptionId")
                    .asString();
            List<AuditEvent> published = new ArrayList<>();
            published.add(event(tenant, "auth.api_key.created", "success"));              // info: no
            published.add(event(tenant, "auth.login", "denied"));                        // other type: no
            published.add(event("tenant-" + UUID.randomUUID(), "auth.api_key.revoked", "denied")); // other tenant
            AuditEvent wanted = event(tenant, "auth.api_key.revoked", "denied");        // warning: yes
            published.add(wanted);
            published.forEach(events::publish);

            awaitStored(published);
            // deliveries are queued in the transaction that stores the event: once stored, every one is known, and
            // nothing that is not queued can reach the receiver
            assertThat(events.count("SELECT count(*) FROM delivery WHERE owner_id = ?", id)).isEqualTo(1);
            List<WebhookReceiver.Received> received = receiver.await(1, Duration.ofSeconds(20));
            assertThat(json.readTree(received.getFirst().body()).get("data").get("eventId").asString())
                    .isEqualTo(wanted.eventId().toString());
            TestEvents.await(() -> events.count("SELECT count(*) FROM delivery WHERE owner_id = ?"
                    + " AND status = 'success'", id) == 1, "the delivery recorded as a success");

            ok(api.patch("/v1/streaming/subscriptions/" + id, "{\"status\": \"paused\"}"));
            AuditEvent whilePaused = event(tenant, "auth.api_key.revoked", "denied");
            events.publish(whilePaused);
            awaitStored(List.of(whilePaused));
            assertThat(events.count("SELECT count(*) FROM delivery WHERE owner_id = ?", id)).isEqualTo(1);
            assertThat(receiver.received()).hasSize(1);

            ok(api.patch("/v1/streaming/subscriptions/" + id, "{\"status\": \"active\"}"));
            AuditEvent resumed = event(tenant, "auth.api_key.rotated", "denied");
            events.publish(resumed);
            receiver.await(2, Duration.ofSeconds(20));
            assertThat(json.readTree(receiver.received().get(1).body()).get("data").get("eventId").asString())
                    .isEqualTo(resumed.eventId().toString());
        }
    }

    @Test
    void aTenantMayHaveOnlySoManySubscriptions() {
        jdbc.update("""
                INSERT INTO stream_subscription (subscription_id, tenant_id, name, status, filters, destination_type,
                                                 destination_config, created_at, updated_at)
                SELECT 'sub_FILL' || g, ?, 'fill', 'paused', '{}'::jsonb, 'kafka', '{}'::jsonb, now(), now()
                FROM generate_series(1, 100) g""", tenant);

        JsonNode body = error(api.post("/v1/streaming/subscriptions",
                webhook("one too many", "http://127.0.0.1:9/hook", null, null)), 409, "CONFLICT");
        assertThat(body.get("details").get("limit").asInt()).isEqualTo(100);
    }

    private JsonNode metricOf(String subscriptionId) {
        for (JsonNode metric : ok(api.get("/v1/streaming/metrics")).get("subscriptionMetrics")) {
            if (metric.get("subscriptionId").asString().equals(subscriptionId)) {
                return metric;
            }
        }
        throw new AssertionError("no metrics for " + subscriptionId);
    }

    private void awaitStored(List<AuditEvent> published) {
        for (AuditEvent event : published) {
            TestEvents.await(() -> events.count("SELECT count(*) FROM audit_event WHERE event_id = ?",
                    event.eventId()) == 1, "event " + event.eventId());
        }
    }

    static AuditEvent event(String tenant, String action, String outcome) {
        return new AuditEvent(UUID.randomUUID(), Instant.now(), tenant, "user-1", action, "api_key", "key_1",
                outcome, "rid-" + UUID.randomUUID(), "auth-service", Map.of());
    }

    private static String kafka(String config) {
        return "{\"name\": \"k\", \"destination\": {\"type\": \"kafka\", \"config\": " + config + "}}";
    }

    private static String sqs(String config) {
        return "{\"name\": \"q\", \"destination\": {\"type\": \"sqs\", \"config\": " + config + "}}";
    }
}
