package io.qnsp.audit.events;

import io.qnsp.audit.AuditApi;
import io.qnsp.audit.TestEvents;
import io.qnsp.audit.feed.AuditFeed;
import io.qnsp.audit.feed.FeedSubscription;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stored audit events: the query API, severities, and the live feed with catch-up. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class AuditEventsIntegrationTests {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

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
    AuditApi reader;

    @BeforeEach
    void setUp() {
        events = new TestEvents(redis, keys, json, jdbc);
        tenant = "tenant-" + UUID.randomUUID();
        reader = client(TestTokens.forTenant(tenant).subject("auditor").scopes(AuditScopes.READ).mint());
    }

    /**
     * The requirement: an event is queryable within one second of being published. Each attempt measures the whole
     * path as a caller sees it, from just before the XADD to the first answer 200 of the query API. One attempt can
     * lose a second to a garbage collection or to another build on a shared machine, which says nothing about the
     * pipeline; a pipeline that misses the second (a slow poll, a batching delay) misses it in every attempt. So the
     * best of up to five attempts must be under one second.
     */
    @Test
    void anEventPublishedByAnotherServiceIsQueryableWithinOneSecond() {
        // warm the path once, so the measurement is the pipeline, not first-request class loading
        publishAndAwait(event(tenant, "warm.up", "success", Instant.now()));

        List<Duration> attempts = new ArrayList<>();
        JsonNode found = null;
        while (attempts.size() < 5 && (attempts.isEmpty() || Collections.min(attempts).compareTo(ONE_SECOND) >= 0)) {
            AuditEvent event = event(tenant, "auth.api_key.created", "success", Instant.now());
            long started = System.nanoTime();
            events.publish(event);
            found = await("event " + event.eventId() + " queryable").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(10)).pollInSameThread()
                    .until(() -> queried(event), Objects::nonNull);
            attempts.add(Duration.ofNanos(System.nanoTime() - started));
        }

        assertThat(Collections.min(attempts)).as("publish to queryable, best of %s", attempts).isLessThan(ONE_SECOND);
        assertThat(found.get("eventType").asString()).isEqualTo("auth.api_key.created");
        assertThat(found.get("service").asString()).isEqualTo("auth-service");
        assertThat(found.get("severity").asString()).isEqualTo("info");
        assertThat(found.get("tenantId").asString()).isEqualTo(tenant);
        assertThat(found.get("resourceId").asString()).isEqualTo("key_1");
        assertThat(found.get("details").get("name").asString()).isEqualTo("Test");
        assertThat(found.get("sequence").asLong()).isPositive();
    }

    private JsonNode queried(AuditEvent event) {
        ResponseEntity<JsonNode> response = get(reader, "/v1/events/" + event.eventId());
        return response.getStatusCode().value() == 200 ? response.getBody() : null;
    }

    @Test
    void listsNewestFirstWithFiltersAndCursorPages() {
        Instant t0 = Instant.parse("2026-01-15T10:00:00Z");
        List<AuditEvent> published = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            published.add(event(tenant, "auth.api_key.created", "success", t0.plusSeconds(i)));
        }
        published.add(event(tenant, "auth.api_key.revoked", "denied", t0.plusSeconds(10)));
        published.add(new AuditEvent(UUID.randomUUID(), t0.plusSeconds(11), tenant, "svc", "ratelimit.api_key.created",
                "api_key", "k9", "failure", "rid", "ratelimit-service", Map.of()));
        published.add(new AuditEvent(UUID.randomUUID(), t0.plusSeconds(12), tenant, "svc", "auth.tenant.created",
                "tenant", "t", "success", "rid", "auth-service", Map.of("severity", "critical")));
        published.forEach(events::publish);
        events.await(() -> stored(tenant) == published.size(), "events stored");

        JsonNode first = ok(get(reader, "/v1/events?limit=3"));
        assertThat(types(first)).containsExactly("auth.tenant.created", "ratelimit.api_key.created",
                "auth.api_key.revoked");
        JsonNode second = ok(get(reader, "/v1/events?limit=3&cursor=" + first.get("nextCursor").asString()));
        assertThat(second.get("events")).hasSize(3);
        JsonNode last = ok(get(reader, "/v1/events?limit=3&cursor=" + second.get("nextCursor").asString()));
        assertThat(last.get("events")).hasSize(2);
        assertThat(last.get("nextCursor").isNull()).isTrue();

        assertThat(types(ok(get(reader, "/v1/events?severity=warning")))).containsExactly("auth.api_key.revoked");
        assertThat(types(ok(get(reader, "/v1/events?severity=error")))).containsExactly("ratelimit.api_key.created");
        assertThat(types(ok(get(reader, "/v1/events?severity=critical")))).containsExactly("auth.tenant.created");
        assertThat(types(ok(get(reader, "/v1/events?service=ratelimit-service"))))
                .containsExactly("ratelimit.api_key.created");
        assertThat(ok(get(reader, "/v1/events?eventType=auth.api_key.created")).get("events")).hasSize(5);
        assertThat(ok(get(reader, "/v1/events?since=2026-01-15T10:00:03Z&until=2026-01-15T10:00:11Z"))
                .get("events")).hasSize(3);
    }

    @Test
    void tenantsSeeOnlyTheirOwnEvents() {
        String other = "tenant-" + UUID.randomUUID();
        AuditEvent theirs = event(other, "auth.api_key.created", "success", Instant.now());
        AuditEvent ours = event(tenant, "auth.api_key.created", "success", Instant.now());
        publishAndAwait(theirs);
        publishAndAwait(ours);

        assertThat(ok(get(reader, "/v1/events")).get("events")).extracting(e -> e.get("eventId").asString())
                .containsExactly(ours.eventId().toString());
        ResponseEntity<JsonNode> foreign = get(reader, "/v1/events/" + theirs.eventId());
        assertThat(foreign.getStatusCode().value()).isEqualTo(404);
        assertThat(foreign.getBody().get("error").asString()).isEqualTo("NOT_FOUND");
        assertThat(get(reader, "/v1/events/not-a-uuid").getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void refusesCallersWithoutTheScopeAndBadParameters() {
        AuditApi noScope = client(TestTokens.forTenant(tenant).subject("u").scopes("audit:stream").mint());
        ResponseEntity<JsonNode> forbidden = get(noScope, "/v1/events");
        assertThat(forbidden.getStatusCode().value()).isEqualTo(403);
        assertThat(forbidden.getBody().get("statusCode").asInt()).isEqualTo(403);
        assertThat(get(client(null), "/v1/events").getStatusCode().value()).isEqualTo(401);

        assertBadField(get(reader, "/v1/events?severity=loud"), "severity");
        assertBadField(get(reader, "/v1/events?limit=0"), "limit");
        assertBadField(get(reader, "/v1/events?limit=501"), "limit");
        assertBadField(get(reader, "/v1/events?cursor=abc"), "cursor");
        assertBadField(get(reader, "/v1/events?since=yesterday"), "since");
        assertBadField(get(reader, "/v1/events?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z"), "until");
    }

    @Test
    void theFeedHandsLiveEventsAndCatchesUpFromAPositionWithoutGapsOrRepeats() {
        List<AuditEvent> before = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            before.add(event(tenant, "before." + i, "success", Instant.now()));
        }
        before.forEach(events::publish);
        events.await(() -> stored(tenant) == 5, "first five stored");
        long afterSecond = sequenceOf(before.get(1));
        long lastBefore = sequenceOf(before.getLast());
        String other = "tenant-" + UUID.randomUUID();
        // "from now on" is from the live feed's position, which follows the store within a poll interval: a
        // subscription made before it passed the first five would be handed some of them
        events.await(() -> feed.position() >= lastBefore, "the feed past the first five");

        List<StoredAuditEvent> resumed = new CopyOnWriteArrayList<>();
        List<StoredAuditEvent> live = new CopyOnWriteArrayList<>();
        try (FeedSubscription fromPosition = feed.subscribe(afterSecond, tenant, e -> true, resumed::add);
             FeedSubscription fromNow = feed.subscribe(null, tenant, e -> !e.eventType().endsWith(".skip"),
                     live::add)) {
            events.await(() -> resumed.size() >= 3, "catch-up from the position");
            List<AuditEvent> after = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                after.add(event(tenant, i == 2 ? "after.skip" : "after." + i, "success", Instant.now()));
                events.publish(event(other, "other.tenant", "success", Instant.now()));
            }
            after.forEach(events::publish);
            events.await(() -> resumed.size() >= 7 && live.size() >= 3, "live events");

            assertThat(resumed).extracting(StoredAuditEvent::eventType).containsExactly("before.2", "before.3",
                    "before.4", "after.0", "after.1", "after.skip", "after.3");
            assertThat(resumed).extracting(StoredAuditEvent::sequence).isSorted().doesNotHaveDuplicates();
            assertThat(live).extracting(StoredAuditEvent::eventType).containsExactly("after.0", "after.1", "after.3");
            assertThat(fromNow.position()).isEqualTo(resumed.getLast().sequence());
        }
    }

    private long sequenceOf(AuditEvent event) {
        return jdbc.queryForObject("SELECT seq FROM audit_event WHERE event_id = ?", Long.class, event.eventId());
    }

    private long stored(String tenantId) {
        return events.count("SELECT count(*) FROM audit_event WHERE tenant_id = ?", tenantId);
    }

    private void publishAndAwait(AuditEvent event) {
        events.publish(event);
        events.await(() -> events.count("SELECT count(*) FROM audit_event WHERE event_id = ?", event.eventId()) == 1,
                "event " + event.eventId());
    }

    private static AuditEvent event(String tenant, String action, String outcome, Instant at) {
        return new AuditEvent(UUID.randomUUID(), at, tenant, "user-1", action, "api_key", "key_1", outcome, "rid-1",
                "auth-service", Map.of("name", "Test"));
    }

    private static List<String> types(JsonNode page) {
        List<String> types = new ArrayList<>();
        page.get("events").forEach(e -> types.add(e.get("eventType").asString()));
        return types;
    }

    private static void assertBadField(ResponseEntity<JsonNode> response, String field) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(400);
        assertThat(response.getBody().get("details").get("field").asString()).isEqualTo(field);
    }

    private static JsonNode ok(ResponseEntity<JsonNode> response) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(200);
        return response.getBody();
    }

    private AuditApi client(String token) {
        return AuditApi.withToken(port, token);
    }

    private static ResponseEntity<JsonNode> get(AuditApi client, String uri) {
        return client.get(uri);
    }
}
