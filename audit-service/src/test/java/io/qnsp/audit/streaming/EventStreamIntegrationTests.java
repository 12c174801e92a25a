package io.qnsp.audit.streaming;

import io.qnsp.audit.TestEvents;
import io.qnsp.audit.feed.AuditFeed;
import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
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

import static io.qnsp.audit.streaming.StreamingApi.ok;
import static io.qnsp.audit.streaming.StreamingApi.webhook;
import static io.qnsp.audit.streaming.SubscriptionApiIntegrationTests.event;
import static org.assertj.core.api.Assertions.assertThat;

/** The SSE stream of audit events over real HTTP: live events, filters, resumption, tenants, refusals, metrics. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
@ExtendWith(OutputCaptureExtension.class)
class EventStreamIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

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

    @Autowired
    AuditFeed feed;

    TestEvents events;
    String tenant;
    String token;
    StreamingApi api;

    @BeforeEach
    void setUp() {
        events = new TestEvents(redis, keys, json, jdbc);
        tenant = "tenant-" + UUID.randomUUID();
        token = TestTokens.forTenant(tenant).subject("user-1").scopes("audit:stream").mint();
        api = new StreamingApi(port, token);
    }

    @Test
    void anEventStoredAfterConnectingReachesTheClient() {
        AuditEvent before = event(tenant, "auth.login", "success");
        events.publish(before);
        awaitStored(before);
        long storedAt = jdbc.queryForObject("SELECT seq FROM audit_event WHERE event_id = ?", Long.class,
                before.eventId());
        // "from now on" is from the live feed's position, which follows the store within a poll interval
        TestEvents.await(() -> feed.position() >= storedAt, "the feed past the earlier event");

        try (SseClient stream = SseClient.connect(port, token, "", null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            assertThat(stream.header("X-Request-Id")).isNotBlank();
            AuditEvent event = new AuditEvent(UUID.randomUUID(), Instant.parse("2026-01-15T10:30:00Z"), tenant,
                    "user-1", "auth.api_key.created", "api_key", "key_1", "success", "rid-1", "auth-service",
                    Map.of("name", "Zoë's key"));
            events.publish(event);

            // the stream hands events in the order they were stored: had the event stored before connecting been
            // replayed, it would come first
            SseClient.Event received = stream.next(WAIT);

            assertThat(received.name()).isEqualTo("audit_event");
            JsonNode data = json.readTree(received.data());
            assertThat(data.get("eventId").asString()).isEqualTo(event.eventId().toString());
            assertThat(data.get("eventType").asString()).isEqualTo("auth.api_key.created");
            assertThat(data.get("service").asString()).isEqualTo("auth-service");
            assertThat(data.get("severity").asString()).isEqualTo("info");
            assertThat(data.get("tenantId").asString()).isEqualTo(tenant);
            assertThat(data.get("resourceId").asString()).isEqualTo("key_1");
            assertThat(data.get("timestamp").asString()).isEqualTo("2026-01-15T10:30:00Z");
            assertThat(data.get("details").get("name").asString()).isEqualTo("Zoë's key");
            assertThat(received.id()).isEqualTo(Long.toString(data.get("sequence").asLong()));
            assertThat(stream.commentLines()).contains(":stream open");
        }
    }

    @Test
    void heartbeatsKeepAnIdleStreamBusy() {
        try (SseClient stream = SseClient.connect(port, token, "", null)) {
            TestEvents.await(() -> stream.commentLines().contains(":keep-alive"), "a heartbeat");
            assertThat(stream.poll(Duration.ZERO)).isNull();
        }
    }

    @Test
    void aSubscriptionsFiltersApplyToItsStream() {
        String id = api.create(webhook("warnings", "http://127.0.0.1:9/hook", null,
                "{\"eventTypes\": [\"auth.api_key.*\"], \"severities\": [\"warning\", \"error\"]}"))
                .get("subscriptionId").asString();

        try (SseClient stream = SseClient.connect(port, token, "subscriptionId=" + id, null)) {
            assertThat(stream.status()).isEqualTo(200);
            events.publish(event(tenant, "auth.api_key.created", "success"));
            events.publish(event(tenant, "auth.login", "denied"));
            AuditEvent denied = event(tenant, "auth.api_key.revoked", "denied");
            AuditEvent failed = event(tenant, "auth.api_key.rotated", "failure");
            events.publish(denied);
            events.publish(failed);

            assertThat(eventIds(stream, 2)).containsExactly(denied.eventId().toString(),
                    failed.eventId().toString());
            assertNextIs(stream, event(tenant, "auth.api_key.revoked", "denied"));
        }
    }

    @Test
    void aClientThatReconnectsWithLastEventIdGetsExactlyWhatItMissed() {
        SseClient first = SseClient.connect(port, token, "", null);
        List<AuditEvent> seen = List.of(event(tenant, "e1", "success"), event(tenant, "e2", "success"));
        seen.forEach(events::publish);
        List<SseClient.Event> received = new ArrayList<>();
        received.add(first.next(WAIT));
        received.add(first.next(WAIT));
        assertThat(received).extracting(e -> eventId(e)).containsExactly(seen.get(0).eventId().toString(),
                seen.get(1).eventId().toString());
        String lastEventId = received.getLast().id();
        first.close();

        List<AuditEvent> missed = List.of(event(tenant, "e3", "success"), event(tenant, "e4", "failure"),
                event(tenant, "e5", "success"));
        missed.forEach(events::publish);
        missed.forEach(this::awaitStored);
        // another tenant's events in between take sequence numbers too, and must not appear
        AuditEvent foreign = event("tenant-" + UUID.randomUUID(), "e-foreign", "success");
        events.publish(foreign);
        awaitStored(foreign);

        try (SseClient second = SseClient.connect(port, token, "", lastEventId)) {
            assertThat(eventIds(second, 3)).containsExactlyElementsOf(missed.stream()
                    .map(e -> e.eventId().toString()).toList());
            AuditEvent live = event(tenant, "e6", "success");
            events.publish(live);
            assertThat(eventId(second.next(WAIT))).isEqualTo(live.eventId().toString());
            assertNextIs(second, event(tenant, "e7", "success"));
        }

        // the query parameter works as the header does
        try (SseClient third = SseClient.connect(port, token, "lastEventId=" + lastEventId, null)) {
            assertThat(eventIds(third, 4).subList(0, 3)).containsExactlyElementsOf(missed.stream()
                    .map(e -> e.eventId().toString()).toList());
        }
    }

    @Test
    void aTenantSeesOnlyItsOwnEvents() {
        String other = "tenant-" + UUID.randomUUID();
        AuditEvent b = event(other, "auth.api_key.created", "success");
        AuditEvent theirMarker = event(other, "theirs.marker", "success");
        String otherToken = TestTokens.forTenant(other).subject("user-2").scopes("audit:stream").mint();
        try (SseClient mine = SseClient.connect(port, token, "", null);
             SseClient theirs = SseClient.connect(port, otherToken, "", null)) {
            AuditEvent a = event(tenant, "auth.api_key.created", "success");
            events.publish(a);
            events.publish(b);

            assertThat(eventId(mine.next(WAIT))).isEqualTo(a.eventId().toString());
            // a came before b: had it been handed to the other tenant, it would have come first
            assertThat(eventId(theirs.next(WAIT))).isEqualTo(b.eventId().toString());
            assertNextIs(mine, event(tenant, "mine.marker", "success"));
            assertNextIs(theirs, theirMarker);
        }
        // the other tenant resuming from before this tenant's first event still gets only its own: b, then its
        // marker, with this tenant's events (a, and its marker between the two) left out
        String firstId = jdbc.queryForObject("SELECT min(seq) - 1 FROM audit_event WHERE tenant_id = ?",
                Long.class, tenant).toString();
        try (SseClient theirs = SseClient.connect(port, otherToken, "", firstId)) {
            SseClient.Event only = theirs.next(WAIT);
            assertThat(json.readTree(only.data()).get("tenantId").asString()).isEqualTo(other);
            assertThat(eventId(only)).isEqualTo(b.eventId().toString());
            assertThat(eventId(theirs.next(WAIT))).isEqualTo(theirMarker.eventId().toString());
        }
    }

    @Test
    void refusalsBeforeTheStreamStartsAnswerAsJsonErrors() {
        String id = api.create(webhook("mine", "http://127.0.0.1:9/hook", null, null)).get("subscriptionId")
                .asString();
        String otherToken = TestTokens.forTenant("tenant-" + UUID.randomUUID()).subject("u").scopes("audit:stream")
                .mint();

        assertError(SseClient.connect(port, otherToken, "subscriptionId=" + id, null), 404, "NOT_FOUND",
                "subscriptionId");
        assertError(SseClient.connect(port, token, "subscriptionId=sub_nope", null), 404, "NOT_FOUND",
                "subscriptionId");
        assertError(SseClient.connect(port, token, "", "abc"), 400, "BAD_REQUEST", "Last-Event-ID");
        assertError(SseClient.connect(port, token, "", "-1"), 400, "BAD_REQUEST", "Last-Event-ID");
        assertError(SseClient.connect(port, token, "", Long.toString(Long.MAX_VALUE)), 400, "BAD_REQUEST",
                "Last-Event-ID");
        assertError(SseClient.connect(port, token, "lastEventId=x", null), 400, "BAD_REQUEST", "lastEventId");
        assertError(SseClient.connect(port, TestTokens.forTenant(tenant).subject("u").scopes("audit:read").mint(),
                "", null), 403, "INSUFFICIENT_SCOPE", null);
        assertError(SseClient.connect(port, null, "", null), 401, "UNAUTHORIZED", null);
        // a client that takes only JSON is told, in JSON, that the answer would be an event stream
        assertError(SseClient.connect(port, token, "", null, "application/json"), 406, "NOT_ACCEPTABLE", null);
    }

    @Test
    void deletingTheSubscriptionEndsItsStreamWhoseAccessLogLineThenShowsItsWholeLife(CapturedOutput output) {
        String id = api.create(webhook("short-lived", "http://127.0.0.1:9/hook", null, null)).get("subscriptionId")
                .asString();
        try (SseClient stream = SseClient.connect(port, token, "subscriptionId=" + id, null)) {
            assertThat(stream.status()).isEqualTo(200);
            String requestId = stream.header("X-Request-Id");
            TestEvents.await(() -> activeConnections() == 1, "the stream counted as open");
            assertThat(accessLines(output, requestId)).isEmpty();

            api.delete("/v1/streaming/subscriptions/" + id);

            TestEvents.await(() -> activeConnections() == 0, "the stream ended");
            TestEvents.await(() -> accessLines(output, requestId).size() == 1, "the access log line");
            assertThat(accessLines(output, requestId).getFirst()).contains("GET /v1/streaming/events 200 ");
        }
    }

    private static List<String> accessLines(CapturedOutput output, String requestId) {
        return output.getAll().lines().filter(line -> line.contains("io.qnsp.access"))
                .filter(line -> line.contains(requestId)).toList();
    }

    @Test
    void metricsCountOpenStreamsAndStreamedEventsOfTheTenantOnly() {
        String id = api.create(webhook("counted", "http://127.0.0.1:9/hook", null,
                "{\"eventTypes\": [\"counted\"]}")).get("subscriptionId").asString();
        JsonNode empty = ok(api.get("/v1/streaming/metrics"));
        assertThat(empty.get("activeConnections").asLong()).isZero();
        assertThat(empty.get("totalEventsStreamed").asLong()).isZero();
        assertThat(empty.get("eventsPerSecond").asDouble()).isZero();
        JsonNode idle = empty.get("subscriptionMetrics").get(0);
        assertThat(idle.get("subscriptionId").asString()).isEqualTo(id);
        assertThat(idle.get("eventsDelivered").asLong()).isZero();
        assertThat(idle.get("lastEventAt").isNull()).isTrue();

        String other = "tenant-" + UUID.randomUUID();
        StreamingApi otherApi = new StreamingApi(port, TestTokens.forTenant(other).subject("u")
                .scopes("audit:stream").mint());
        try (SseClient all = SseClient.connect(port, token, "", null);
             SseClient filtered = SseClient.connect(port, token, "subscriptionId=" + id, null)) {
            TestEvents.await(() -> activeConnections() == 2, "two open streams");
            events.publish(event(tenant, "counted", "success"));
            events.publish(event(tenant, "not-counted", "success"));
            eventIds(all, 2);
            eventIds(filtered, 1);

            // counted right after each write, so a moment after the client has read it
            TestEvents.await(() -> ok(api.get("/v1/streaming/metrics")).get("totalEventsStreamed").asLong() == 3,
                    "three events counted");
            JsonNode metrics = ok(api.get("/v1/streaming/metrics"));
            assertThat(metrics.get("activeConnections").asLong()).isEqualTo(2);
            // two events on the unfiltered stream, one on the subscription's (and no deliveries: the webhook
            // target refuses connections)
            assertThat(metrics.get("totalEventsStreamed").asLong()).isEqualTo(3);
            assertThat(metrics.get("eventsPerSecond").asDouble()).isEqualTo(0.05);
            JsonNode subscription = metrics.get("subscriptionMetrics").get(0);
            assertThat(subscription.get("eventsStreamed").asLong()).isEqualTo(1);
            assertThat(subscription.get("eventsDelivered").asLong()).isEqualTo(1);
            assertThat(Instant.parse(subscription.get("lastEventAt").asString()))
                    .isBetween(Instant.now().minusSeconds(30), Instant.now());

            JsonNode theirs = ok(otherApi.get("/v1/streaming/metrics"));
            assertThat(theirs.get("activeConnections").asLong()).isZero();
            assertThat(theirs.get("totalEventsStreamed").asLong()).isZero();
            assertThat(theirs.get("eventsPerSecond").asDouble()).isZero();
            assertThat(theirs.get("subscriptionMetrics").size()).isZero();
        }
        TestEvents.await(() -> activeConnections() == 0, "the streams closed");
        // the clients went away: the server noticed (at the latest on a heartbeat) and ended their feed subscriptions
        TestEvents.await(() -> feed.subscriberCount() == 0, "no feed subscriptions left");
        // the counts outlive the streams (they are kept in the store)
        TestEvents.await(() -> events.count("SELECT coalesce(sum(events_streamed), 0) FROM stream_counter"
                + " WHERE tenant_key = ?", tenant) == 3, "the counts stored");
        assertThat(ok(api.get("/v1/streaming/metrics")).get("totalEventsStreamed").asLong()).isEqualTo(3);
    }

    private long activeConnections() {
        return ok(api.get("/v1/streaming/metrics")).get("activeConnections").asLong();
    }

    private void assertError(SseClient response, int status, String error, String field) {
        try (response) {
            assertThat(response.status()).as(response.errorBody()).isEqualTo(status);
            assertThat(response.header("Content-Type")).startsWith("application/json");
            JsonNode body = json.readTree(response.errorBody());
            assertThat(body.get("error").asString()).isEqualTo(error);
            assertThat(body.get("requestId").asString()).isEqualTo(response.header("X-Request-Id"));
            if (field != null) {
                assertThat(body.get("details").get("field").asString()).isEqualTo(field);
            }
        }
    }

    /**
     * Publishes an event the stream must show and checks that it is the next one there. The stream hands events in
     * the order they were stored, so whatever was published before it and not shown by now will never be shown: no
     * waiting for something that must not happen.
     */
    private void assertNextIs(SseClient stream, AuditEvent marker) {
        events.publish(marker);
        assertThat(eventId(stream.next(WAIT))).isEqualTo(marker.eventId().toString());
    }

    private List<String> eventIds(SseClient stream, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(eventId(stream.next(WAIT)));
        }
        return ids;
    }

    private String eventId(SseClient.Event event) {
        assertThat(event.name()).isEqualTo("audit_event");
        return json.readTree(event.data()).get("eventId").asString();
    }

    private void awaitStored(AuditEvent event) {
        TestEvents.await(() -> events.count("SELECT count(*) FROM audit_event WHERE event_id = ?",
                event.eventId()) == 1, "event " + event.eventId());
    }
}
