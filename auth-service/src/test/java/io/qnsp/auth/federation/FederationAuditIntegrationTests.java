package io.qnsp.auth.federation;

import io.qnsp.common.redis.RedisKeys;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Recording and querying identity-provider events over real HTTP: entitlements, validation naming the field,
 * filters, keyset paging, cursors that cannot be tampered with or reused elsewhere, tenant isolation, redaction of
 * secrets and cross-tenant activity.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class FederationAuditIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    StringRedisTemplate redis;

    @Autowired
    RedisKeys keys;

    private static String tenant(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Instant ago(Duration duration) {
        return Instant.now().minus(duration).truncatedTo(ChronoUnit.MILLIS);
    }

    @Test
    void recordingAnEventAnswers201AndTheQueryReturnsItWithEveryField() {
        String acme = tenant("acme");
        FederationClient api = FederationClient.readWrite(port, acme);
        Instant at = ago(Duration.ofMinutes(3));
        ResponseEntity<JsonNode> created = api.record(Map.of("eventType", "login", "provider", "okta",
                "userId", "alice@acme.test", "outcome", "success", "timestamp", at.toString(),
                "metadata", Map.of("ip", "203.0.113.9", "attempt", 1, "device", Map.of("os", "linux"))));

        assertThat(created.getStatusCode().value()).isEqualTo(201);
        String eventId = created.getBody().get("eventId").asString();
        assertThat(UUID.fromString(eventId)).isNotNull();
        Instant recordedAt = Instant.parse(created.getBody().get("recordedAt").asString());
        assertThat(recordedAt).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));

        JsonNode page = api.query(Map.of()).getBody();
        assertThat(page.get("total").asLong()).isEqualTo(1);
        assertThat(page.get("nextCursor").isNull()).isTrue();
        JsonNode event = page.get("events").get(0);
        assertThat(event.get("eventId").asString()).isEqualTo(eventId);
        assertThat(event.get("eventType").asString()).isEqualTo("login");
        assertThat(event.get("provider").asString()).isEqualTo("okta");
        assertThat(event.get("userId").asString()).isEqualTo("alice@acme.test");
        assertThat(event.get("outcome").asString()).isEqualTo("success");
        assertThat(Instant.parse(event.get("timestamp").asString())).isEqualTo(at);
        assertThat(event.get("metadata").get("ip").asString()).isEqualTo("203.0.113.9");
        assertThat(event.get("metadata").get("attempt").asInt()).isEqualTo(1);
        assertThat(event.get("metadata").get("device").get("os").asString()).isEqualTo("linux");
        assertThat(event.get("targetTenantId").isNull()).isTrue();
    }

    @Test
    void anEventWithoutTimestampOrMetadataHappenedNowWithEmptyMetadata() {
        FederationClient api = FederationClient.readWrite(port, tenant("acme"));
        Instant before = Instant.now().minusSeconds(1);
        ResponseEntity<JsonNode> created = api.record(Map.of("eventType", "logout", "provider", "okta",
                "userId", "bob", "outcome", "failure"));
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        JsonNode event = api.query(Map.of()).getBody().get("events").get(0);
        assertThat(Instant.parse(event.get("timestamp").asString())).isAfter(before);
        assertThat(event.get("timestamp").asString()).isEqualTo(created.getBody().get("recordedAt").asString());
        assertThat(event.get("metadata").isObject()).isTrue();
        assertThat(event.get("metadata").size()).isZero();
        assertThat(event.get("outcome").asString()).isEqualTo("failure");
    }

    @Test
    void credentialsInMetadataAreRedactedBeforeTheyAreStored() {
        String acme = tenant("acme");
        FederationClient api = FederationClient.readWrite(port, acme);
        String eventId = api.recorded("login", "okta", "alice", "success", null, Map.of(
                "password", "hunter2-very-secret", "ip", "198.51.100.7",
                "oidc", Map.of("access_token", "eyJ-secret-token", "Id-Token", "id-secret", "scope", "openid"),
                "headers", List.of(Map.of("Authorization", "Bearer abc-secret"))), null);

        JsonNode metadata = api.query(Map.of()).getBody().get("events").get(0).get("metadata");
        assertThat(metadata.get("password").asString()).isEqualTo("[redacted]");
        assertThat(metadata.get("ip").asString()).isEqualTo("198.51.100.7");
        assertThat(metadata.get("oidc").get("access_token").asString()).isEqualTo("[redacted]");
        assertThat(metadata.get("oidc").get("Id-Token").asString()).isEqualTo("[redacted]");
        assertThat(metadata.get("oidc").get("scope").asString()).isEqualTo("openid");
        assertThat(metadata.get("headers").get(0).get("Authorization").asString()).isEqualTo("[redacted]");
        String stored = jdbc.queryForObject("SELECT metadata::text FROM federation_audit_event WHERE id = ?",
                String.class, UUID.fromString(eventId));
        assertThat(stored).doesNotContain("hunter2").doesNotContain("eyJ-secret").doesNotContain("id-secret")
                .doesNotContain("abc-secret");
    }

    @Test
    void invalidEventsAreRejectedNamingTheFieldAndNothingIsStored() {
        String acme = tenant("acme");
        FederationClient api = FederationClient.readWrite(port, acme);
        Map<String, Object> valid = Map.of("eventType", "login", "provider", "okta", "userId", "alice",
                "outcome", "success");

        assertRejected(api.record(without(valid, "eventType")), "eventType");
        assertRejected(api.record(with(valid, "eventType", "  ")), "eventType");
        assertRejected(api.record(with(valid, "eventType", "Login")), "eventType");
        assertRejected(api.record(with(valid, "eventType", "x".repeat(65))), "eventType");
        assertRejected(api.record(without(valid, "provider")), "provider");
        assertRejected(api.record(with(valid, "provider", "p".repeat(129))), "provider");
        assertRejected(api.record(with(valid, "provider", "okta\nforged")), "provider");
        assertRejected(api.record(without(valid, "userId")), "userId");
        assertRejected(api.record(with(valid, "userId", "u".repeat(257))), "userId");
        assertRejected(api.record(without(valid, "outcome")), "outcome");
        ResponseEntity<JsonNode> badOutcome = api.record(with(valid, "outcome", "maybe"));
        assertRejected(badOutcome, "outcome");
        assertThat(badOutcome.getBody().get("details").get("allowedValues").toString())
                .contains("success").contains("failure");
        assertRejected(api.record(with(valid, "metadata", List.of("not", "an", "object"))), "metadata");
        assertRejected(api.record(with(valid, "metadata", Map.of("blob", "x".repeat(9000)))), "metadata");
        Map<String, Object> deep = Map.of("v", 1);
        for (int i = 0; i < 9; i++) {
            deep = Map.of("n", deep);
        }
        assertRejected(api.record(with(valid, "metadata", deep)), "metadata");
        assertRejected(api.record(with(valid, "timestamp", "yesterday")), "timestamp");
        assertRejected(api.record(with(valid, "timestamp", Instant.now().plus(Duration.ofHours(1)).toString())),
                "timestamp");
        assertRejected(api.record(with(valid, "timestamp", Instant.now().minus(Duration.ofDays(31)).toString())),
                "timestamp");
        assertRejected(api.record(with(valid, "targetTenantId", "a,b")), "targetTenantId");
        assertRejected(api.postRaw(FederationClient.BASE + "/events", "{\"eventType\": \"login\","), "body");
        assertRejected(api.postRaw(FederationClient.BASE + "/events", "{\"eventType\": 5, \"provider\": \"okta\","
                + " \"userId\": \"a\", \"outcome\": \"success\"}"), "eventType");

        assertThat(api.query(Map.of()).getBody().get("total").asLong()).isZero();
        assertThat(api.record(valid).getStatusCode().value()).isEqualTo(201);
        assertThat(api.query(Map.of()).getBody().get("total").asLong()).isEqualTo(1);
    }

    @Test
    void entitlementsAreEnforced() {
        String acme = tenant("acme");
        Map<String, Object> event = Map.of("eventType", "login", "provider", "okta", "userId", "alice",
                "outcome", "success");

        assertThat(FederationClient.anonymous(port).record(event).getStatusCode().value()).isEqualTo(401);
        assertThat(FederationClient.anonymous(port).query(Map.of()).getStatusCode().value()).isEqualTo(401);
        assertThat(FederationClient.as(port, TestTokens.forTenant(acme).scopes("federation:write").expired().mint())
                .record(event).getStatusCode().value()).isEqualTo(401);

        FederationClient reader = FederationClient.as(port, TestTokens.forTenant(acme).scopes("federation:read").mint());
        ResponseEntity<JsonNode> denied = reader.record(event);
        assertThat(denied.getStatusCode().value()).isEqualTo(403);
        assertThat(denied.getBody().get("error").asString()).isEqualTo("INSUFFICIENT_SCOPE");
        assertThat(denied.getBody().get("details").get("missingScopes").toString()).contains("federation:write");
        assertThat(reader.query(Map.of()).getStatusCode().value()).isEqualTo(200);

        FederationClient writer = FederationClient.as(port, TestTokens.forTenant(acme).scopes("federation:write").mint());
        assertThat(writer.record(event).getStatusCode().value()).isEqualTo(201);
        assertThat(writer.query(Map.of()).getStatusCode().value()).isEqualTo(403);
        assertThat(writer.crossTenant("").getStatusCode().value()).isEqualTo(403);

        // reading cross-tenant activity needs the admin role, not just the read scope
        assertThat(reader.crossTenant("").getStatusCode().value()).isEqualTo(403);
        assertThat(FederationClient.admin(port, acme).crossTenant("").getStatusCode().value()).isEqualTo(200);

        // federated audit data always belongs to a tenant
        FederationClient tenantless = FederationClient.as(port,
                TestTokens.withoutTenant().scopes("federation:read", "federation:write").mint());
        assertThat(tenantless.record(event).getStatusCode().value()).isEqualTo(403);
        assertThat(tenantless.query(Map.of()).getStatusCode().value()).isEqualTo(403);

        assertThat(reader.query(Map.of()).getBody().get("total").asLong()).isEqualTo(1);
    }

    @Test
    void keysetPagingVisitsEveryEventOnceInStableOrderEvenWithIdenticalTimestamps() {
        String acme = tenant("acme");
        FederationClient api = FederationClient.readWrite(port, acme);
        Instant base = ago(Duration.ofHours(5));
        Set<String> recorded = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            // groups of three share a timestamp: the id breaks the tie
            recorded.add(api.recorded("login", "okta", "user-" + i, "success", base.plusSeconds(i / 3), null, null));
        }

        for (String order : List.of("asc", "desc")) {
            List<JsonNode> pages = api.allPages(Map.of("limit", 5, "order", order));
            assertThat(pages).hasSize(5);
            List<String> ids = new ArrayList<>();
            List<Instant> times = new ArrayList<>();
            for (JsonNode page : pages) {
                assertThat(page.get("total").asLong()).isEqualTo(23);
                assertThat(page.get("events").size()).isLessThanOrEqualTo(5);
                page.get("events").forEach(e -> {
                    ids.add(e.get("eventId").asString());
                    times.add(Instant.parse(e.get("timestamp").asString()));
                });
            }
            assertThat(ids).hasSize(23).doesNotHaveDuplicates();
            assertThat(new HashSet<>(ids)).isEqualTo(recorded);
            List<Instant> sorted = new ArrayList<>(times);
            sorted.sort(order.equals("asc") ? Instant::compareTo : (a, b) -> b.compareTo(a));
            assertThat(times).isEqualTo(sorted);
            assertThat(pages.getLast().get("nextCursor").isNull()).isTrue();

            // the same pages again: the order is stable
            List<String> again = new ArrayList<>();
            api.allPages(Map.of("limit", 5, "order", order))
                    .forEach(p -> p.get("events").forEach(e -> again.add(e.get("eventId").asString())));
            assertThat(again).isEqualTo(ids);
            // and one page holding everything agrees with the paged order
            List<String> single = new ArrayList<>();
            api.query(Map.of("limit", 500, "order", order)).getBody().get("events")
                    .forEach(e -> single.add(e.get("eventId").asString()));
            assertThat(single).isEqualTo(ids);
        }
    }

    @Test
    void eventsRecordedWhilePagingAppearAtTheEndWithoutDuplicatesOrGaps() {
        FederationClient api = FederationClient.readWrite(port, tenant("acme"));
        Instant base = ago(Duration.ofHours(2));
        for (int i = 0; i < 6; i++) {
            api.recorded("login", "okta", "user-" + i, "success", base.plusSeconds(i), null, null);
        }
        JsonNode first = api.query(Map.of("limit", 4)).getBody();
        String late = api.recorded("logout", "okta", "late", "success", null, null, null);
        JsonNode second = api.query(Map.of("limit", 4, "cursor", first.get("nextCursor").asString())).getBody();

        List<String> ids = new ArrayList<>();
        first.get("events").forEach(e -> ids.add(e.get("eventId").asString()));
        second.get("events").forEach(e -> ids.add(e.get("eventId").asString()));
        assertThat(ids).hasSize(7).doesNotHaveDuplicates().endsWith(late);
        assertThat(second.get("total").asLong()).isEqualTo(7);
        assertThat(second.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void filtersCombineAndTotalCountsTheMatchingEvents() {
        FederationClient api = FederationClient.readWrite(port, tenant("acme"));
        Instant t0 = ago(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        api.recorded("login", "okta", "alice", "success", t0, null, null);
        api.recorded("login", "okta", "bob", "failure", t0.plusSeconds(60), null, null);
        api.recorded("mfa_challenge", "okta", "alice", "success", t0.plusSeconds(120), null, null);
        api.recorded("login", "azure", "alice", "success", t0.plusSeconds(180), null, null);
        api.recorded("token_refresh", "azure", "carol", "success", t0.plusSeconds(240), null, null);
        api.recorded("logout", "google", "bob", "success", t0.plusSeconds(300), null, null);

        assertMatches(api, Map.of(), 6);
        assertMatches(api, Map.of("eventTypes", List.of("login")), 3);
        assertMatches(api, Map.of("eventTypes", List.of("login", "logout")), 4);
        assertMatches(api, Map.of("providers", List.of("okta")), 3);
        assertMatches(api, Map.of("userIds", List.of("alice")), 3);
        assertMatches(api, Map.of("eventTypes", List.of("login"), "providers", List.of("okta"),
                "userIds", List.of("alice", "bob")), 2);
        assertMatches(api, Map.of("providers", List.of("unknown")), 0);
        // start inclusive, end exclusive
        assertMatches(api, Map.of("startTime", t0.plusSeconds(60).toString(),
                "endTime", t0.plusSeconds(180).toString()), 2);
        assertMatches(api, Map.of("startTime", t0.plusSeconds(61).toString()), 4);
        assertMatches(api, Map.of("endTime", t0.plusSeconds(60).toString()), 1);
        assertMatches(api, Map.of("startTime", t0.plusSeconds(120).atOffset(java.time.ZoneOffset.ofHours(2))
                .toString(), "providers", List.of("azure")), 2);
        // empty lists do not filter
        assertMatches(api, Map.of("eventTypes", List.of(), "providers", List.of()), 6);

        JsonNode page = api.query(Map.of("userIds", List.of("alice"), "limit", 2)).getBody();
        assertThat(page.get("events").size()).isEqualTo(2);
        assertThat(page.get("total").asLong()).isEqualTo(3);
        page.get("events").forEach(e -> assertThat(e.get("userId").asString()).isEqualTo("alice"));
        JsonNode rest = api.query(Map.of("userIds", List.of("alice"), "limit", 2,
                "cursor", page.get("nextCursor").asString())).getBody();
        assertThat(rest.get("events").size()).isEqualTo(1);
        assertThat(rest.get("events").get(0).get("provider").asString()).isEqualTo("azure");
    }

    @Test
    void invalidQueriesAreRejectedNamingTheField() {
        String acme = tenant("acme");
        FederationClient api = FederationClient.readWrite(port, acme);
        for (int i = 0; i < 3; i++) {
            api.recorded("login", "okta", "user-" + i, "success", null, null, null);
        }
        assertRejected(api.query(Map.of("limit", 0)), "limit");
        assertRejected(api.query(Map.of("limit", 501)), "limit");
        assertRejected(api.query(Map.of("limit", "many")), "limit");
        assertRejected(api.query(Map.of("startTime", "last tuesday")), "startTime");
        assertRejected(api.query(Map.of("endTime", "2025-13-45")), "endTime");
        assertRejected(api.query(Map.of("startTime", "2025-01-02T00:00:00Z", "endTime", "2025-01-01T00:00:00Z")),
                "startTime");
        assertRejected(api.query(Map.of("startTime", "2025-01-01T00:00:00Z", "endTime", "2025-01-01T00:00:00Z")),
                "startTime");
        assertRejected(api.query(Map.of("order", "sideways")), "order");
        assertRejected(api.query(Map.of("eventTypes", "login")), "eventTypes");
        assertThat(api.query(Map.of("limit", 500)).getStatusCode().value()).isEqualTo(200);
        assertThat(api.query(Map.of("startTime", "2020-01-01", "endTime", "2020-01-01")).getStatusCode().value())
                .as("a date as endTime means the end of that day").isEqualTo(200);
    }

    @Test
    void aTamperedForeignOrReusedCursorIsRejectedNamingCursor() {
        String acme = tenant("acme");
        String globex = tenant("globex");
        FederationClient acmeApi = FederationClient.readWrite(port, acme);
        FederationClient globexApi = FederationClient.readWrite(port, globex);
        for (int i = 0; i < 4; i++) {
            acmeApi.recorded("login", "okta", "a-" + i, "success", null, null, null);
            globexApi.recorded("login", "okta", "g-" + i, "success", null, null, null);
        }
        String cursor = acmeApi.query(Map.of("limit", 2)).getBody().get("nextCursor").asString();
        assertThat(acmeApi.query(Map.of("limit", 2, "cursor", cursor)).getStatusCode().value()).isEqualTo(200);
        // the page size may change between pages
        assertThat(acmeApi.query(Map.of("limit", 3, "cursor", cursor)).getStatusCode().value()).isEqualTo(200);

        char[] chars = cursor.toCharArray();
        chars[10] = chars[10] == 'A' ? 'B' : 'A';
        assertRejected(acmeApi.query(Map.of("limit", 2, "cursor", new String(chars))), "cursor");
        assertRejected(acmeApi.query(Map.of("limit", 2, "cursor", cursor.substring(1))), "cursor");
        assertRejected(acmeApi.query(Map.of("limit", 2, "cursor", "not a cursor!")), "cursor");
        assertRejected(acmeApi.query(Map.of("limit", 2, "cursor", "x".repeat(129))), "cursor");
        // another tenant's cursor, same filters
        ResponseEntity<JsonNode> foreign = globexApi.query(Map.of("limit", 2, "cursor", cursor));
        assertRejected(foreign, "cursor");
        // the same tenant's cursor for other filters or order
        assertRejected(acmeApi.query(Map.of("limit", 2, "cursor", cursor, "providers", List.of("okta"))), "cursor");
        assertRejected(acmeApi.query(Map.of("limit", 2, "cursor", cursor, "order", "desc")), "cursor");
    }

    @Test
    void tenantsNeverSeeEachOthersEvents() {
        String acme = tenant("acme");
        String globex = tenant("globex");
        FederationClient acmeApi = FederationClient.readWrite(port, acme);
        FederationClient globexApi = FederationClient.readWrite(port, globex);
        String acmeEvent = acmeApi.recorded("login", "okta", "shared-user", "success", null, null, null);
        String globexEvent = globexApi.recorded("login", "okta", "shared-user", "failure", null, null, null);

        JsonNode acmeView = acmeApi.query(Map.of("userIds", List.of("shared-user"))).getBody();
        assertThat(acmeView.get("total").asLong()).isEqualTo(1);
        assertThat(acmeView.findValuesAsString("eventId")).containsExactly(acmeEvent);
        JsonNode globexView = globexApi.query(Map.of()).getBody();
        assertThat(globexView.findValuesAsString("eventId")).containsExactly(globexEvent);
        // naming the other tenant as target makes its activity visible to it only as an aggregate
        acmeApi.recorded("login", "okta", "shared-user", "success", null, null, globex);
        assertThat(globexApi.query(Map.of()).getBody().get("total").asLong()).isEqualTo(1);
    }

    @Test
    void crossTenantActivityIsAggregatedFromBothSidesForTenantAdministrators() {
        String acme = tenant("acme");
        String globex = tenant("globex");
        String initech = tenant("initech");
        FederationClient acmeApi = FederationClient.readWrite(port, acme);
        FederationClient globexApi = FederationClient.readWrite(port, globex);
        FederationClient initechApi = FederationClient.readWrite(port, initech);
        Instant recent = ago(Duration.ofMinutes(30));
        Instant hoursAgo = ago(Duration.ofHours(3));
        Instant daysAgo = ago(Duration.ofDays(3));

        acmeApi.recorded("login", "okta", "alice", "success", hoursAgo, null, globex);
        acmeApi.recorded("token_refresh", "okta", "alice", "success", recent, null, globex);
        acmeApi.recorded("login", "okta", "bob", "failure", daysAgo, null, initech);
        initechApi.recorded("login", "azure", "ivan", "success", hoursAgo, null, acme);
        initechApi.recorded("login", "azure", "ivan", "success", hoursAgo.plusSeconds(5), null, acme);
        initechApi.recorded("logout", "azure", "ivan", "success", recent.minusSeconds(60), null, acme);
        globexApi.recorded("login", "okta", "gina", "success", recent, null, initech); // acme is not involved
        acmeApi.recorded("login", "okta", "alice", "success", recent, null, acme); // own tenant: not cross-tenant
        acmeApi.recorded("login", "okta", "alice", "success", recent, null, null);

        FederationClient admin = FederationClient.admin(port, acme);
        JsonNode week = admin.crossTenant("?period=7d").getBody();
        assertThat(week.get("period").asString()).isEqualTo("7d");
        Map<String, JsonNode> pairs = pairs(week);
        assertThat(pairs.keySet()).containsExactlyInAnyOrder(acme + ">" + globex, acme + ">" + initech,
                initech + ">" + acme);
        assertThat(pairs.get(acme + ">" + globex).get("eventCount").asLong()).isEqualTo(2);
        assertThat(Instant.parse(pairs.get(acme + ">" + globex).get("lastActivityAt").asString())).isEqualTo(recent);
        assertThat(pairs.get(acme + ">" + initech).get("eventCount").asLong()).isEqualTo(1);
        assertThat(Instant.parse(pairs.get(acme + ">" + initech).get("lastActivityAt").asString()))
                .isEqualTo(daysAgo);
        assertThat(pairs.get(initech + ">" + acme).get("eventCount").asLong()).isEqualTo(3);
        assertThat(Instant.parse(pairs.get(initech + ">" + acme).get("lastActivityAt").asString()))
                .isEqualTo(recent.minusSeconds(60));
        // most recent activity first
        assertThat(week.get("activity").get(0).get("targetTenantId").asString()).isEqualTo(globex);

        Map<String, JsonNode> day = pairs(admin.crossTenant("").getBody());
        assertThat(day.keySet()).containsExactlyInAnyOrder(acme + ">" + globex, initech + ">" + acme);
        Map<String, JsonNode> hour = pairs(admin.crossTenant("?period=1h").getBody());
        assertThat(hour.keySet()).containsExactlyInAnyOrder(acme + ">" + globex, initech + ">" + acme);
        assertThat(hour.get(acme + ">" + globex).get("eventCount").asLong()).isEqualTo(1);
        assertThat(hour.get(initech + ">" + acme).get("eventCount").asLong()).isEqualTo(1);

        Map<String, JsonNode> onlyInitech = pairs(admin.crossTenant("?period=30d&tenantIds=" + initech).getBody());
        assertThat(onlyInitech.keySet()).containsExactlyInAnyOrder(acme + ">" + initech, initech + ">" + acme);
        Map<String, JsonNode> both = pairs(admin.crossTenant("?period=30d&tenantIds=" + initech + "," + globex)
                .getBody());
        assertThat(both).hasSize(3);
        assertThat(pairs(admin.crossTenant("?period=30d&tenantIds=nobody").getBody())).isEmpty();

        // the target side sees the same pair with the same numbers
        Map<String, JsonNode> seenByGlobex = pairs(FederationClient.admin(port, globex).crossTenant("?period=30d")
                .getBody());
        assertThat(seenByGlobex.keySet()).containsExactlyInAnyOrder(acme + ">" + globex, globex + ">" + initech);
        assertThat(seenByGlobex.get(acme + ">" + globex).get("eventCount").asLong()).isEqualTo(2);

        ResponseEntity<JsonNode> badPeriod = admin.crossTenant("?period=2w");
        assertRejected(badPeriod, "period");
        assertThat(badPeriod.getBody().get("details").get("allowedValues").toString())
                .contains("1h").contains("24h").contains("7d").contains("30d");
    }

    @Test
    void theOpenApiDocumentDescribesTheEndpoints() {
        ResponseEntity<JsonNode> docs = FederationClient.anonymous(port).get("/v3/api-docs");
        assertThat(docs.getStatusCode().value()).isEqualTo(200);
        JsonNode paths = docs.getBody().get("paths");
        for (String path : List.of("/events", "/query", "/cross-tenant", "/reports", "/reports/{reportId}",
                "/reports/{reportId}/download")) {
            assertThat(paths.has(FederationClient.BASE + path)).as(path).isTrue();
        }
    }

    @Test
    void everyCallIsAuditedOnThePlatformAuditStream() throws Exception {
        String acme = tenant("acme");
        FederationClient api = FederationClient.readWrite(port, acme);
        String eventId = api.recorded("login", "okta", "alice", "success", null, Map.of("password", "p4ss-w0rd"),
                null);
        api.query(Map.of());
        FederationClient.as(port, TestTokens.forTenant(acme).scopes("federation:write").mint()).query(Map.of());

        List<JsonNode> audit = awaitAudit(acme, 3);
        assertThat(audit).extracting(e -> e.get("action").asString() + ":" + e.get("outcome").asString())
                .containsExactly("auth.federation.event.recorded:success", "auth.federation.events.queried:success",
                        "auth.federation.events.queried:denied");
        assertThat(audit.getFirst().get("resourceId").asString()).isEqualTo(eventId);
        assertThat(audit.getFirst().get("resourceType").asString()).isEqualTo("federation_event");
        assertThat(audit.getFirst().get("actor").asString()).isEqualTo("user-1");
        assertThat(audit.toString()).doesNotContain("p4ss-w0rd");
    }

    private List<JsonNode> awaitAudit(String tenant, int expected) {
        return await(expected + " audit events of " + tenant).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> auditEvents(tenant), events -> events.size() >= expected);
    }

    private List<JsonNode> auditEvents(String tenant) {
        List<JsonNode> events = new ArrayList<>();
        List<MapRecord<String, Object, Object>> records = redis.opsForStream()
                .range(keys.key("events:audit"), Range.unbounded());
        for (MapRecord<String, Object, Object> record : records == null
                ? List.<MapRecord<String, Object, Object>>of() : records) {
            JsonNode event = JSON.readTree((String) record.getValue().get("payload"));
            if (tenant.equals(event.path("tenantId").asString(null))) {
                events.add(event);
            }
        }
        return events;
    }

    private static Map<String, JsonNode> pairs(JsonNode response) {
        Map<String, JsonNode> pairs = new LinkedHashMap<>();
        response.get("activity").forEach(a -> pairs.put(a.get("sourceTenantId").asString() + ">"
                + a.get("targetTenantId").asString(), a));
        return pairs;
    }

    private static void assertMatches(FederationClient api, Map<String, ?> filters, long expected) {
        ResponseEntity<JsonNode> response = api.query(filters);
        assertThat(response.getStatusCode().value()).as(filters.toString()).isEqualTo(200);
        assertThat(response.getBody().get("total").asLong()).as(filters.toString()).isEqualTo(expected);
        assertThat(response.getBody().get("events").size()).as(filters.toString()).isEqualTo((int) expected);
    }

    static void assertRejected(ResponseEntity<JsonNode> response, String field) {
        assertThat(response.getStatusCode().value()).as(String.valueOf(response.getBody())).isEqualTo(400);
        JsonNode body = response.getBody();
        assertThat(body.get("statusCode").asInt()).isEqualTo(400);
        assertThat(body.get("error").asString()).isEqualTo("BAD_REQUEST");
        assertThat(body.get("details").get("field").asString()).as(body.toString()).isEqualTo(field);
        assertThat(body.get("requestId").asString()).isNotBlank();
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, Object> without(Map<String, Object> base, String key) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.remove(key);
        return copy;
    }
}
