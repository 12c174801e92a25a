package io.qnsp.audit.webhook;

import io.qnsp.audit.TestEvents;
import io.qnsp.audit.WebhookReceiver;
import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
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
import java.util.concurrent.atomic.AtomicReference;

import static io.qnsp.audit.webhook.DataHubAssertions.paged;
import static io.qnsp.audit.webhook.DataHubAssertions.success;
import static io.qnsp.audit.webhook.WebhooksClient.webhook;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Platform events reaching DataHub webhooks: audit events published onto the stream as auth-service's controls
 * publish them become signed deliveries of the subscribed webhooks of their tenant, retried until they succeed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class WebhookEventDeliveryIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

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
    WebhooksClient client;
    final List<WebhookReceiver> receivers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        events = new TestEvents(redis, keys, json, jdbc);
        tenant = "tenant-" + UUID.randomUUID();
        client = WebhooksClient.writer(port, tenant);
    }

    @AfterEach
    void tearDown() {
        receivers.forEach(WebhookReceiver::close);
    }

    private WebhookReceiver receiver() {
        WebhookReceiver receiver = WebhookReceiver.start(null);
        receivers.add(receiver);
        return receiver;
    }

    /** Creates a webhook at the receiver, which learns its secret; returns the webhook id. */
    private String subscribe(WebhooksClient owner, WebhookReceiver receiver, String... eventNames) {
        JsonNode created = owner.createWebhook(webhook("Hook", receiver.url(), eventNames));
        receiver.secret(created.get("secret").asString());
        return created.get("id").asString();
    }

    /** An audit event as auth-service's controls publish it for a DataHub key operation. */
    private static AuditEvent keyEvent(String tenant, String action, String keyId, String outcome) {
        return new AuditEvent(UUID.randomUUID(), Instant.parse("2026-01-15T10:30:00Z"), tenant, "user-7", action,
                "api_key", keyId, outcome, "rid-" + keyId, "auth-service", Map.of("status", "201"));
    }

    private void awaitStored(List<AuditEvent> published) {
        for (AuditEvent event : published) {
            TestEvents.await(() -> events.count("SELECT count(*) FROM audit_event WHERE event_id = ?",
                    event.eventId()) == 1, "event " + event.action() + " stored");
        }
    }

    @Test
    void aCreatedKeyReachesTheWebhookSignedAndIsRetriedUntilTheReceiverAccepts() {
        WebhookReceiver receiver = receiver().answer(500, 500);
        String id = subscribe(client, receiver, "key.created");
        AuditEvent created = keyEvent(tenant, "auth.api_key.created", "key_01ABC", "success");

        events.publish(created);

        List<WebhookReceiver.Received> received = receiver.await(3, WAIT);
        assertThat(received).extracting(WebhookReceiver.Received::verified).containsExactly(true, true, true);
        assertThat(received).extracting(WebhookReceiver.Received::answeredStatus).containsExactly(500, 500, 200);
        String deliveryId = received.getFirst().webhookId();
        assertThat(deliveryId).startsWith("del_");
        assertThat(received).extracting(WebhookReceiver.Received::webhookId).containsOnly(deliveryId);
        assertThat(received).extracting(WebhookReceiver.Received::body).containsOnly(received.getFirst().body());

        JsonNode body = json.readTree(received.getFirst().body());
        assertThat(body.get("type").asString()).isEqualTo("key.created");
        assertThat(body.get("timestamp").asString()).isEqualTo("2026-01-15T10:30:00Z");
        JsonNode data = body.get("data");
        assertThat(data.get("keyId").asString()).isEqualTo("key_01ABC");
        assertThat(data.get("eventId").asString()).isEqualTo(created.eventId().toString());
        assertThat(data.get("actor").asString()).isEqualTo("user-7");
        assertThat(data.get("occurredAt").asString()).isEqualTo("2026-01-15T10:30:00Z");
        assertThat(data.get("requestId").asString()).isEqualTo("rid-key_01ABC");
        assertThat(data.get("details").toString()).isEqualTo("{\"status\":\"201\"}");

        AtomicReference<JsonNode> latest = new AtomicReference<>();
        TestEvents.await(() -> {
            latest.set(paged(client.deliveries(id, "")).get("data").get(0));
            return latest.get().get("status").asString().equals("success");
        }, "the delivery recorded as a success");
        JsonNode delivery = latest.get();
        assertThat(delivery.get("deliveryId").asString()).isEqualTo(deliveryId);
        assertThat(delivery.get("event").asString()).isEqualTo("key.created");
        assertThat(delivery.get("eventId").asString()).isEqualTo(created.eventId().toString());
        assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
        assertThat(delivery.get("statusCode").asInt()).isEqualTo(200);
        assertThat(delivery.get("error").isNull()).isTrue();
        assertThat(delivery.get("nextAttemptAt").isNull()).isTrue();
        assertThat(delivery.get("completedAt").isNull()).isFalse();
        List<Integer> codes = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        delivery.get("attemptHistory").forEach(attempt -> {
            codes.add(attempt.get("statusCode").asInt());
            statuses.add(attempt.get("status").asString());
        });
        assertThat(codes).containsExactly(500, 500, 200);
        assertThat(statuses).containsExactly("failed", "failed", "success");
        assertThat(delivery.get("attemptHistory").get(0).get("error").asString()).contains("500");
        assertThat(paged(client.deliveries(id, "")).get("pagination").get("totalItems").asLong()).isEqualTo(1);
    }

    @Test
    void onlyTheTenantsSubscribedActiveWebhooksReceiveOnlySuccessfulCatalogueEvents() {
        WebhookReceiver createdOnly = receiver();
        WebhookReceiver everything = receiver();
        WebhookReceiver inactive = receiver();
        WebhookReceiver otherTenants = receiver();
        String createdOnlyId = subscribe(client, createdOnly, "key.created");
        String everythingId = subscribe(client, everything, "*");
        String inactiveId = subscribe(client, inactive, "*");
        success(client.update(inactiveId, Map.of("active", false)), 200);
        String other = "tenant-" + UUID.randomUUID();
        String otherId = subscribe(WebhooksClient.writer(port, other), otherTenants, "key.created");

        List<AuditEvent> published = List.of(
                keyEvent(tenant, "auth.api_key.revoked", "key_r", "success"),
                keyEvent(tenant, "auth.api_key.created", "key_denied", "denied"),
                keyEvent(tenant, "auth.api_key.created", "key_failed", "failure"),
                keyEvent(tenant, "auth.user.login", "key_login", "success"),
                keyEvent(null, "auth.api_key.created", "key_platform", "success"),
                keyEvent(other, "auth.api_key.revoked", "key_other_revoked", "success"),
                keyEvent(tenant, "auth.api_key.created", "key_c", "success"),
                keyEvent(tenant, "auth.api_key.updated", "key_u", "success"),
                keyEvent(tenant, "auth.api_key.rotated", "key_o", "success"));
        published.forEach(events::publish);
        awaitStored(published);

        // deliveries are queued in the transaction that stores the event: once stored, every one is known
        assertThat(eventsQueuedFor(createdOnlyId)).containsExactly("key.created");
        assertThat(eventsQueuedFor(everythingId)).containsExactlyInAnyOrder("key.revoked", "key.created",
                "key.updated", "key.rotated");
        assertThat(eventsQueuedFor(inactiveId)).isEmpty();
        assertThat(eventsQueuedFor(otherId)).isEmpty();

        assertThat(keyIds(createdOnly.await(1, WAIT))).containsExactly("key_c");
        assertThat(keyIds(everything.await(4, WAIT))).containsExactlyInAnyOrder("key_r", "key_c", "key_u", "key_o");
        TestEvents.await(() -> events.count("SELECT count(*) FROM delivery WHERE owner_id IN (?, ?)"
                + " AND status = 'success'", createdOnlyId, everythingId) == 5, "five successful deliveries");
        assertThat(createdOnly.received()).allMatch(WebhookReceiver.Received::verified).hasSize(1);
        assertThat(everything.received()).allMatch(WebhookReceiver.Received::verified).hasSize(4);
        assertThat(inactive.received()).isEmpty();
        assertThat(otherTenants.received()).isEmpty();

        // the other tenant's own subscribed event reaches its webhook, and only that one
        AuditEvent otherCreated = keyEvent(other, "auth.api_key.created", "key_other", "success");
        events.publish(otherCreated);
        assertThat(keyIds(otherTenants.await(1, WAIT))).containsExactly("key_other");
        assertThat(eventsQueuedFor(createdOnlyId)).containsExactly("key.created");
    }

    @Test
    void aPendingDeliveryOfAWebhookMadeInactiveIsCancelled() {
        WebhookReceiver receiver = receiver().answer(500, 500, 500, 500, 500, 500, 500, 500);
        String id = subscribe(client, receiver, "key.revoked");

        events.publish(keyEvent(tenant, "auth.api_key.revoked", "key_x", "success"));
        receiver.await(1, WAIT);
        success(client.update(id, Map.of("active", false)), 200);

        AtomicReference<JsonNode> latest = new AtomicReference<>();
        TestEvents.await(() -> {
            latest.set(paged(client.deliveries(id, "")).get("data").get(0));
            return latest.get().get("status").asString().equals("failed");
        }, "the delivery given up");
        assertThat(latest.get().get("error").asString()).contains("no longer exists or is paused");
        assertThat(latest.get().get("attempts").asInt()).isLessThan(8);
        assertThat(receiver.received()).hasSize(latest.get().get("attempts").asInt() - 1);
    }

    private List<String> eventsQueuedFor(String webhookId) {
        return jdbc.queryForList("SELECT event_type FROM delivery WHERE owner_kind = 'datahub-webhook'"
                + " AND owner_id = ? ORDER BY created_at", String.class, webhookId);
    }

    private List<String> keyIds(List<WebhookReceiver.Received> received) {
        return received.stream().map(r -> json.readTree(r.body()).get("data").get("keyId").asString()).toList();
    }
}
