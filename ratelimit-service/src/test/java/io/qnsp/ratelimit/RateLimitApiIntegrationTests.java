package io.qnsp.ratelimit;

import io.qnsp.ratelimit.usage.UsageCounters;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint and documented status of spec 001, through real HTTP, PostgreSQL and Redis. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class RateLimitApiIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    UsageCounters counters;

    @Autowired
    ApplicationContext context;

    RateLimitClient api;

    @BeforeEach
    void client() {
        api = new RateLimitClient(port);
    }

    // --- POST /v1/check ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aKeyWithFivePerSecondAndBurstTenAdmitsTenThenThrottlesThenRefills(Transport transport) throws Exception {
        api = transport.client(context);
        String key = api.createKey("burst", 5, 10);

        // On an idle machine ten checks take far less than the 200 ms one token needs, so exactly ten pass.
        // On a loaded one the bucket refills meanwhile; the bound below is the exact allowance either way.
        long start = System.nanoTime();
        ResponseEntity<JsonNode> first = api.check(key, null);
        assertThat(first.getStatusCode().value()).isEqualTo(200);
        assertThat(first.getBody().get("allowed").asBoolean()).isTrue();
        assertThat(first.getBody().get("limit").asLong()).isEqualTo(10);
        assertThat(first.getBody().get("remainingTokens").asLong()).isEqualTo(9);
        int admitted = 1;
        ResponseEntity<JsonNode> denied = api.check(key, null);
        while (denied.getStatusCode().value() == 200) {
            admitted++;
            denied = api.check(key, null);
        }
        double burstSeconds = (System.nanoTime() - start) / 1e9;
        assertThat(admitted).isGreaterThanOrEqualTo(10).isLessThanOrEqualTo(10 + (int) Math.ceil(5 * burstSeconds));
        if (burstSeconds < 0.2) {
            assertThat(admitted).isEqualTo(10);
        }
        assertThat(denied.getStatusCode().value()).isEqualTo(429);
        assertThat(denied.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(denied.getBody().get("allowed").asBoolean()).isFalse();
        assertThat(denied.getBody().get("remainingTokens").asLong()).isZero();
        assertThat(denied.getBody().get("limit").asLong()).isEqualTo(10);
        assertThat(denied.getBody().get("resetInSeconds").asLong()).isBetween(1L, 2L);

        long emptyAt = System.nanoTime();
        Thread.sleep(1_000);
        int admittedAfterOneSecond = 0;
        while (api.check(key, null).getStatusCode().value() == 200) {
            admittedAfterOneSecond++;
        }
        double sinceEmpty = (System.nanoTime() - emptyAt) / 1e9;
        assertThat(admittedAfterOneSecond).isGreaterThanOrEqualTo(4)
                .isLessThanOrEqualTo((int) Math.ceil(5 * sinceEmpty) + 1);
        if (sinceEmpty < 1.2) {
            assertThat(admittedAfterOneSecond).isBetween(4, 6);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void costSpendsThatManyTokensAndDefaultsToOne(Transport transport) {
        api = transport.client(context);
        String key = api.createKey("cost", 1, 10);
        assertThat(api.check(key, 4).getBody().get("remainingTokens").asLong()).isEqualTo(6);
        assertThat(api.check(key, null).getBody().get("remainingTokens").asLong()).isEqualTo(5);
        ResponseEntity<JsonNode> tooMuch = api.check(key, 6);
        assertThat(tooMuch.getStatusCode().value()).isEqualTo(429);
        assertThat(tooMuch.getBody().get("remainingTokens").asLong()).isEqualTo(5);
        assertThat(api.check(key, 5).getStatusCode().value()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void checkRejectsInvalidPayloadsNamingTheField(Transport transport) {
        api = transport.client(context);
        String key = api.createKey("invalid", 5, 10);
        assertBadRequest(api.check(key, 0), "cost");
        assertBadRequest(api.check(key, -3), "cost");
        assertBadRequest(api.check(key, 11), "cost");
        assertBadRequest(api.rawCheck("{\"cost\":1}", new HttpHeaders()), "apiKey");
        assertBadRequest(api.rawCheck("{\"apiKey\":\"" + key + "\",\"cost\":\"many\"}",
                new HttpHeaders()), "cost");
        assertBadRequest(api.rawCheck("{\"apiKey\":", new HttpHeaders()), "body");
        // nothing was spent by the rejected requests
        assertThat(api.check(key, null).getBody().get("remainingTokens").asLong()).isEqualTo(9);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unknownAndDisabledKeysAre401AndEnablingRestoresTheKey(Transport transport) {
        api = transport.client(context);
        ResponseEntity<JsonNode> unknown = api.check("RAT-" + "x".repeat(32), null);
        assertThat(unknown.getStatusCode().value()).isEqualTo(401);
        assertThat(unknown.getBody().get("error").asString()).isEqualTo("invalid_api_key");
        assertThat(api.check("not-even-a-key", null).getStatusCode().value()).isEqualTo(401);

        String key = api.createKey("disable-me", 5, 10);
        assertThat(api.check(key, null).getStatusCode().value()).isEqualTo(200);
        ResponseEntity<JsonNode> disabled = api.adminPost("/v1/api-keys/{key}/disable", key);
        assertThat(disabled.getStatusCode().value()).isEqualTo(200);
        assertThat(disabled.getBody().get("status").asString()).isEqualTo("disabled");
        ResponseEntity<JsonNode> refused = api.check(key, null);
        assertThat(refused.getStatusCode().value()).isEqualTo(401);
        assertThat(refused.getBody().toString()).doesNotContain(key);

        assertThat(api.adminPost("/v1/api-keys/{key}/enable", key).getStatusCode().value()).isEqualTo(200);
        assertThat(api.check(key, null).getStatusCode().value()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aLimitsChangeAppliesToTheNextCheck(Transport transport) {
        api = transport.client(context);
        String key = api.createKey("change", 1, 2);
        api.check(key, 2);
        assertThat(api.check(key, 1).getStatusCode().value()).isEqualTo(429);

        // the denial is remembered locally, but new limits are not bound by it: the faster rate refills at once
        api.putLimits(key, Map.of("algorithm", "token_bucket", "tokensPerSecond", 1000, "burstCapacity", 20));
        ResponseEntity<JsonNode> afterRaise = api.check(key, 1);
        assertThat(afterRaise.getStatusCode().value()).isEqualTo(200);
        assertThat(afterRaise.getBody().get("limit").asLong()).isEqualTo(20);

        api.putLimits(key, Map.of("algorithm", "token_bucket", "tokensPerSecond", 1, "burstCapacity", 1));
        ResponseEntity<JsonNode> afterCut = api.check(key, 1);
        assertThat(afterCut.getBody().get("limit").asLong()).isEqualTo(1);
        assertThat(afterCut.getBody().get("remainingTokens").asLong()).isZero();
        assertBadRequest(api.check(key, 2), "cost");
    }

    @Test
    void bothTransportsGiveTheSameAnswersToTheSameRequests() {
        RateLimitClient servlet = Transport.SERVLET.client(context);
        RateLimitClient decision = Transport.DECISION_SERVER.client(context);
        // one key per transport with the same limits; the bucket is large enough for every check to pass, so the
        // answers do not depend on how much it refilled in between (429s are compared by the tests above)
        String servletKey = servlet.createKey("same-servlet", 1, 100);
        String decisionKey = servlet.createKey("same-decision", 1, 100);
        List<String> bodies = List.of(
                "{\"apiKey\":\"KEY\"}",
                "{\"apiKey\":\"KEY\",\"cost\":3}",
                "{\"apiKey\":\"KEY\",\"cost\":2,\"note\":{\"ignored\":[1,2]}}",
                "{\"apiKey\":\"KEY\",\"cost\":null}",
                "{\"apiKey\":\"KEY\",\"cost\":101}",
                "{\"apiKey\":\"RAT-unknownunknownunknownunknown00\"}",
                "{\"apiKey\":\"  \",\"cost\":0}",
                "{\"apiKey\":\"" + "k".repeat(257) + "\"}",
                "{\"apiKey\":\"KEY\",\"cost\":\"x\"}",
                "{\"apiKey\":5}",
                "{\"apiKey\":\"KEY\",\"cost\":1.5}",
                "{\"apiKey\":\"KEY\",\"cost\":99999999999}",
                "{\"apiKey\":\"KEY\",\"cost\":-99999999999}",
                "{\"apiKey\":\"KEY\"} trailing",
                "[1]",
                "{\"apiKey\":",
                "");
        for (String body : bodies) {
            ResponseEntity<JsonNode> viaServlet = servlet.rawCheck(body.replace("KEY", servletKey), new HttpHeaders());
            ResponseEntity<JsonNode> viaDecision = decision.rawCheck(body.replace("KEY", decisionKey),
                    new HttpHeaders());
            assertThat(viaDecision.getStatusCode()).as(body).isEqualTo(viaServlet.getStatusCode());
            if (viaServlet.getStatusCode().value() == 200) {
                // the same decision; the tokens left may differ by what refilled between the two checks
                assertThat(viaDecision.getBody().get("allowed").asBoolean()).isTrue();
                assertThat(viaDecision.getBody().get("limit")).isEqualTo(viaServlet.getBody().get("limit"));
                assertThat(fieldNames(viaDecision.getBody())).isEqualTo(fieldNames(viaServlet.getBody()));
                assertThat(viaDecision.getHeaders().getFirst("X-RateLimit-Remaining"))
                        .isEqualTo(viaDecision.getBody().get("remainingTokens").asString());
            } else {
                assertThat(withoutRequestId(viaDecision.getBody())).as(body)
                        .isEqualTo(withoutRequestId(viaServlet.getBody()));
            }
            for (String header : List.of("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset",
                    "Retry-After")) {
                assertThat(viaDecision.getHeaders().containsHeader(header)).as(body + " " + header)
                        .isEqualTo(viaServlet.getHeaders().containsHeader(header));
            }
            assertThat(viaDecision.getHeaders().getFirst("X-RateLimit-Limit"))
                    .isEqualTo(viaServlet.getHeaders().getFirst("X-RateLimit-Limit"));
            assertThat(viaDecision.getHeaders().getFirst("X-Request-Id")).isNotBlank();
            assertThat(viaDecision.getHeaders().getContentType()).isNotNull();
            assertThat(viaDecision.getHeaders().getContentType().isCompatibleWith(
                    org.springframework.http.MediaType.APPLICATION_JSON)).isTrue();
            assertThat(String.valueOf(viaDecision.getBody())).doesNotContain(decisionKey);
        }
    }

    private static List<String> fieldNames(JsonNode body) {
        List<String> names = new java.util.ArrayList<>();
        body.propertyNames().forEach(names::add);
        return names;
    }

    private static JsonNode withoutRequestId(JsonNode body) {
        if (body instanceof tools.jackson.databind.node.ObjectNode object) {
            object.remove("requestId");
        }
        return body;
    }

    // --- key administration -----------------------------------------------------------------------------------

    @Test
    void creatingAKeyIssuesAnUnguessableRatKeyStoredOnlyHashedAndEncrypted() {
        ResponseEntity<JsonNode> created = api.createKey("Photo Uploader");
        assertThat(created.getStatusCode().value()).isEqualTo(200);
        String key = created.getBody().get("apiKey").asString();
        assertThat(key).matches("RAT-[0-9A-Za-z]{32}");
        assertThat(created.getBody().get("keyId").asString()).isNotBlank();
        assertThat(api.createKey("another").getBody().get("apiKey").asString()).isNotEqualTo(key);

        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM ratelimit.api_key");
        assertThat(rows).isNotEmpty();
        for (Map<String, Object> row : rows) {
            for (Object value : row.values()) {
                String text = value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)
                        : String.valueOf(value);
                assertThat(text).doesNotContain(key).doesNotContain(key.substring(4));
            }
        }
    }

    @Test
    void createRejectsInvalidPayloadsNamingTheField() {
        HttpHeaders admin = new HttpHeaders();
        admin.add("X-Admin-Token", RateLimitClient.ADMIN_TOKEN);
        assertBadRequest(api.rawPost("/v1/api-keys", "{}", admin), "name");
        assertBadRequest(api.rawPost("/v1/api-keys", "{\"name\":\"  \"}", admin), "name");
        assertBadRequest(api.rawPost("/v1/api-keys", "{\"name\":\"" + "n".repeat(201) + "\"}", admin), "name");
        assertBadRequest(api.rawPost("/v1/api-keys", "{\"name\":[1]}", admin), "name");
        assertBadRequest(api.rawPost("/v1/api-keys", "not json", admin), "body");
    }

    @Test
    void adminEndpointsRequireTheAdminToken() {
        String key = api.createKey("guarded", 5, 10);
        HttpHeaders wrong = new HttpHeaders();
        wrong.add("X-Admin-Token", "wrong-token");
        for (HttpHeaders headers : List.of(new HttpHeaders(), wrong)) {
            ResponseEntity<JsonNode> create = api.rawPost("/v1/api-keys", "{\"name\":\"x\"}", headers);
            assertThat(create.getStatusCode().value()).isEqualTo(401);
            assertThat(create.getBody().get("error").asString()).isEqualTo("unauthorized");
            assertThat(create.getBody().toString()).doesNotContain(RateLimitClient.ADMIN_TOKEN);
            for (String path : List.of("/v1/api-keys", "/v1/api-keys/" + key, "/v1/api-keys/" + key + "/limits",
                    "/v1/api-keys/" + key + "/metrics?from=2024-01-01T00:00:00Z&to=2024-01-01T01:00:00Z")) {
                int status = api.plain().get().uri(path).headers(h -> h.addAll(headers)).retrieve()
                        .toBodilessEntity().getStatusCode().value();
                assertThat(status).as(path).isEqualTo(401);
            }
            int put = api.plain().put().uri("/v1/api-keys/{key}/limits", key).headers(h -> h.addAll(headers))
                    .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                    .body(Map.of("algorithm", "token_bucket", "tokensPerSecond", 1, "burstCapacity", 1))
                    .retrieve().toBodilessEntity().getStatusCode().value();
            assertThat(put).isEqualTo(401);
        }
        // the rejected limits change did not apply
        assertThat(api.adminGet("/v1/api-keys/{key}/limits", key).getBody().get("burstCapacity").asInt()).isEqualTo(10);
    }

    @Test
    void listingPagesThroughKeysOldestFirst() {
        for (int i = 0; i < 3; i++) {
            api.createKey("page-" + i);
        }
        ResponseEntity<JsonNode> all = api.adminGet("/v1/api-keys?size=200");
        assertThat(all.getStatusCode().value()).isEqualTo(200);
        int total = Integer.parseInt(all.getHeaders().getFirst("X-Total-Count"));
        assertThat(all.getBody().size()).isEqualTo(total).isGreaterThanOrEqualTo(3);
        assertThat(all.getBody().get(0).get("apiKey").asString()).startsWith("RAT-");

        ResponseEntity<JsonNode> firstPage = api.adminGet("/v1/api-keys?page=0&size=2");
        assertThat(firstPage.getBody().size()).isEqualTo(2);
        assertThat(firstPage.getHeaders().getFirst("Link")).contains("page=1").contains("rel=\"next\"");
        ResponseEntity<JsonNode> secondPage = api.adminGet("/v1/api-keys?page=1&size=2");
        assertThat(secondPage.getBody().get(0).get("apiKey").asString())
                .isEqualTo(all.getBody().get(2).get("apiKey").asString());

        assertBadRequest(api.adminGet("/v1/api-keys?size=0"), "size");
        assertBadRequest(api.adminGet("/v1/api-keys?size=500"), "size");
        assertBadRequest(api.adminGet("/v1/api-keys?page=-1"), "page");
        assertBadRequest(api.adminGet("/v1/api-keys?page=first"), "page");
    }

    @Test
    void detailsShowLimitsAndUsageCountedWithoutAWritePerDecision() {
        String key = api.createKey("details", 1, 3);
        // a token a second refills while the checks run: the counts to expect are what the checks answered
        long allowedChecks = 0;
        for (int i = 0; i < 5; i++) {
            if (api.check(key, null).getStatusCode().value() == 200) {
                allowedChecks++;
            }
        }
        assertThat(allowedChecks).isGreaterThanOrEqualTo(3);
        // counted in memory: no row yet
        Integer rows = jdbc.queryForObject("SELECT count(*) FROM ratelimit.key_usage_minute", Integer.class);
        ResponseEntity<JsonNode> details = api.adminGet("/v1/api-keys/{key}", key);
        assertThat(details.getStatusCode().value()).isEqualTo(200);
        JsonNode body = details.getBody();
        assertThat(body.get("apiKey").asString()).isEqualTo(key);
        assertThat(body.get("name").asString()).isEqualTo("details");
        assertThat(body.get("status").asString()).isEqualTo("active");
        assertThat(body.get("createdAt").asString()).isNotBlank();
        assertThat(body.get("limits").get("algorithm").asString()).isEqualTo("token_bucket");
        assertThat(body.get("limits").get("tokensPerSecond").asInt()).isEqualTo(1);
        assertThat(body.get("limits").get("burstCapacity").asInt()).isEqualTo(3);
        assertThat(body.get("metricsSummary").get("allowedCount").asLong()).isEqualTo(allowedChecks);
        assertThat(body.get("metricsSummary").get("throttledCount").asLong()).isEqualTo(5 - allowedChecks);
        assertThat(body.get("metricsSummary").get("lastRequestAt").asString()).isNotBlank();

        counters.flush();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ratelimit.key_usage_minute", Integer.class))
                .isGreaterThan(rows);
        JsonNode afterFlush = api.adminGet("/v1/api-keys/{key}", key).getBody().get("metricsSummary");
        assertThat(afterFlush.get("allowedCount").asLong()).isEqualTo(allowedChecks);
        assertThat(afterFlush.get("throttledCount").asLong()).isEqualTo(5 - allowedChecks);

        String keyId = body.get("keyId").asString();
        assertThat(api.adminGet("/v1/api-keys/{key}", keyId).getBody().get("apiKey").asString()).isEqualTo(key);
        ResponseEntity<JsonNode> unknown = api.adminGet("/v1/api-keys/{key}", "RAT-" + "0".repeat(32));
        assertThat(unknown.getStatusCode().value()).isEqualTo(404);
        assertBadRequest(api.adminGet("/v1/api-keys/{key}", "nonsense"), "key");
    }

    @Test
    void limitsCanBeReadAndReplacedAndInvalidLimitsAreRejected() {
        String key = api.createKey("limits", 5, 10);
        ResponseEntity<JsonNode> read = api.adminGet("/v1/api-keys/{key}/limits", key);
        assertThat(read.getStatusCode().value()).isEqualTo(200);
        assertThat(read.getBody().get("algorithm").asString()).isEqualTo("token_bucket");
        assertThat(read.getBody().get("tokensPerSecond").asInt()).isEqualTo(5);
        assertThat(read.getBody().get("burstCapacity").asInt()).isEqualTo(10);

        ResponseEntity<JsonNode> replaced = api.putLimits(key,
                Map.of("algorithm", "token_bucket", "tokensPerSecond", 7, "burstCapacity", 70));
        assertThat(replaced.getStatusCode().value()).isEqualTo(200);
        assertThat(api.adminGet("/v1/api-keys/{key}/limits", key).getBody().get("burstCapacity").asInt())
                .isEqualTo(70);

        ResponseEntity<JsonNode> leaky = api.putLimits(key,
                Map.of("algorithm", "leaky_bucket", "tokensPerSecond", 7, "burstCapacity", 70));
        assertBadRequest(leaky, "algorithm");
        assertThat(leaky.getBody().get("message").asString()).contains("token_bucket");
        assertBadRequest(api.putLimits(key, Map.of("algorithm", "token_bucket", "burstCapacity", 70)),
                "tokensPerSecond");
        assertBadRequest(api.putLimits(key, Map.of("algorithm", "token_bucket", "tokensPerSecond", 0,
                "burstCapacity", 70)), "tokensPerSecond");
        assertBadRequest(api.putLimits(key, Map.of("algorithm", "token_bucket", "tokensPerSecond", 1,
                "burstCapacity", "lots")), "burstCapacity");
        assertBadRequest(api.putLimits(key, Map.of("tokensPerSecond", 1, "burstCapacity", 1)), "algorithm");
        assertThat(api.putLimits("RAT-" + "1".repeat(32),
                Map.of("algorithm", "token_bucket", "tokensPerSecond", 1, "burstCapacity", 1))
                .getStatusCode().value()).isEqualTo(404);
        // nothing stored was changed by the rejected requests
        assertThat(api.adminGet("/v1/api-keys/{key}/limits", key).getBody().get("tokensPerSecond").asInt())
                .isEqualTo(7);
    }

    @Test
    void metricsGiveTotalsAndAPerMinuteSeriesForARange() {
        String key = api.createKey("metrics", 1, 2);
        // the bucket refills a token a second, so what was allowed depends on how fast the checks ran: the counts
        // to expect are what the checks answered
        int allowedChecks = 0;
        int throttledChecks = 0;
        for (int i = 0; i < 5; i++) {
            if (i == 4) {
                counters.flush(); // the last check's count is still in memory
            }
            if (api.check(key, null).getStatusCode().value() == 200) {
                allowedChecks++;
            } else {
                throttledChecks++;
            }
        }
        assertThat(allowedChecks).isGreaterThanOrEqualTo(2);
        Instant now = Instant.now();
        Instant from = now.minus(10, ChronoUnit.MINUTES);
        Instant to = now.plus(1, ChronoUnit.MINUTES);
        ResponseEntity<JsonNode> metrics = api.adminGet("/v1/api-keys/{key}/metrics?from={from}&to={to}", key,
                from.toString(), to.toString());
        assertThat(metrics.getStatusCode().value()).isEqualTo(200);
        JsonNode body = metrics.getBody();
        assertThat(body.get("allowedCount").asLong()).isEqualTo(allowedChecks);
        assertThat(body.get("throttledCount").asLong()).isEqualTo(throttledChecks);
        assertThat(body.get("granularity").asString()).isEqualTo("minute");
        JsonNode series = body.get("timeSeries");
        assertThat(series.size()).isBetween(11, 12);
        long allowed = 0;
        long throttled = 0;
        for (JsonNode point : series) {
            assertThat(Instant.parse(point.get("timestamp").asString()).getEpochSecond() % 60).isZero();
            allowed += point.get("allowed").asLong();
            throttled += point.get("throttled").asLong();
        }
        assertThat(allowed).isEqualTo(allowedChecks);
        assertThat(throttled).isEqualTo(throttledChecks);

        JsonNode hourly = api.adminGet("/v1/api-keys/{key}/metrics?from={from}&to={to}&granularity=hour", key,
                now.minus(3, ChronoUnit.HOURS).toString(), to.toString()).getBody();
        assertThat(hourly.get("granularity").asString()).isEqualTo("hour");
        assertThat(hourly.get("timeSeries").size()).isBetween(3, 4);
        assertThat(hourly.get("allowedCount").asLong()).isEqualTo(allowedChecks);
    }

    @Test
    void metricsRejectBadRanges() {
        String key = api.createKey("ranges", 1, 2);
        String path = "/v1/api-keys/{key}/metrics?from={from}&to={to}";
        assertBadRequest(api.adminGet(path, key, "2024-12-10T10:00:00Z", "2024-12-09T10:00:00Z"), "from");
        assertBadRequest(api.adminGet(path, key, "yesterday", "2024-12-09T10:00:00Z"), "from");
        assertBadRequest(api.adminGet(path, key, "2020-01-01T00:00:00Z", "2024-12-09T10:00:00Z"), "to");
        assertBadRequest(api.adminGet("/v1/api-keys/{key}/metrics?to=2024-12-09T10:00:00Z", key), "from");
        assertBadRequest(api.adminGet(path + "&granularity=second", key, "2024-12-09T09:00:00Z",
                "2024-12-09T10:00:00Z"), "granularity");
        assertBadRequest(api.adminGet(path + "&granularity=minute", key, "2024-12-01T09:00:00Z",
                "2024-12-09T10:00:00Z"), "granularity");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void deletingAKeyRevokesItAndRemovesIt(Transport transport) {
        api = transport.client(context);
        String key = api.createKey("delete-me", 5, 10);
        api.check(key, null);
        ResponseEntity<JsonNode> deleted = api.adminDelete("/v1/api-keys/{key}", key);
        assertThat(deleted.getStatusCode().value()).isEqualTo(204);
        assertThat(api.check(key, null).getStatusCode().value()).isEqualTo(401);
        assertThat(api.adminGet("/v1/api-keys/{key}", key).getStatusCode().value()).isEqualTo(404);
        assertThat(api.adminDelete("/v1/api-keys/{key}", key).getStatusCode().value()).isEqualTo(404);
        counters.flush(); // pending counts of a deleted key are dropped, not an error
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyResponseCarriesARequestIdAndErrorsRepeatIt(Transport transport) {
        api = transport.client(context);
        HttpHeaders headers = new HttpHeaders();
        headers.add("X-Request-Id", "client-chosen-id-42");
        ResponseEntity<JsonNode> error = api.rawCheck("{}", headers);
        assertThat(error.getHeaders().getFirst("X-Request-Id")).isEqualTo("client-chosen-id-42");
        assertThat(error.getBody().get("requestId").asString()).isEqualTo("client-chosen-id-42");
        assertThat(api.createKey("rid").getHeaders().getFirst("X-Request-Id")).isNotBlank();
    }

    static void assertBadRequest(ResponseEntity<JsonNode> response, String field) {
        assertThat(response.getStatusCode().value()).as(String.valueOf(response.getBody())).isEqualTo(400);
        assertThat(response.getBody().get("error").asString()).isNotBlank();
        assertThat(response.getBody().get("message").asString()).isNotBlank();
        assertThat(response.getBody().get("details").get("field").asString()).isEqualTo(field);
    }
}
