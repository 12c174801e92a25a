package io.qnsp.auth.risk;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static io.qnsp.auth.risk.TestLogins.PARIS;
import static io.qnsp.auth.risk.TestLogins.of;
import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint's documented statuses, bodies, entitlements and validation, over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class RiskApiContractIntegrationTests {

    static final Map<String, Object> VALID_POLICY = Map.of("name", "baseline",
            "conditions", Map.of("riskScoreThreshold", 70), "actions", Map.of("onHighRisk", "challenge"));
    static final Map<String, Object> VALID_SIGNAL = Map.of("userId", "u1", "signalType", "brute_force",
            "severity", "high");

    @LocalServerPort
    int port;

    // ---- authentication and entitlements ----

    @Test
    void everyEndpointNeedsAToken() {
        RiskApi anonymous = RiskApi.withToken(port, null);
        String id = UUID.randomUUID().toString();
        List<ResponseEntity<JsonNode>> responses = List.of(
                anonymous.evaluate(of("u").body()),
                anonymous.createPolicy(VALID_POLICY),
                anonymous.get("/auth/risk/policies"),
                anonymous.get("/auth/risk/policies/{id}", id),
                anonymous.put("/auth/risk/policies/{id}", VALID_POLICY, id),
                anonymous.delete("/auth/risk/policies/{id}", id),
                anonymous.reportSignal(VALID_SIGNAL),
                anonymous.get("/auth/risk/users/{user}/signals", "u1"),
                anonymous.get("/auth/risk/stats"));
        for (ResponseEntity<JsonNode> response : responses) {
            assertThat(response.getStatusCode().value()).isEqualTo(401);
            assertThat(response.getBody().get("statusCode").asInt()).isEqualTo(401);
            assertThat(response.getBody().get("error").asString()).isEqualTo("UNAUTHORIZED");
            assertThat(response.getBody().get("requestId").asString()).isNotBlank();
        }
        String expired = TestTokens.forTenant("acme").scopes("risk:read").expired().mint();
        assertThat(RiskApi.withToken(port, expired).get("/auth/risk/stats").getStatusCode().value()).isEqualTo(401);
        String forged = TestTokens.forTenant("acme").scopes("risk:read").wrongSignature().mint();
        assertThat(RiskApi.withToken(port, forged).evaluate(of("u").body()).getStatusCode().value()).isEqualTo(401);
    }

    @Test
    void scopesGuardEverythingButEvaluation() {
        String tenant = RiskApi.freshTenant();
        RiskApi none = RiskApi.of(port, tenant);
        RiskApi reader = RiskApi.of(port, tenant, "risk:read");
        RiskApi writer = RiskApi.of(port, tenant, "risk:write");
        String id = RiskApi.of(port, tenant, "risk:write").createdPolicy(VALID_POLICY);

        assertThat(none.evaluate(of("u").body()).getStatusCode().value()).isEqualTo(200);

        assertMissingScope(none.createPolicy(VALID_POLICY), "risk:write");
        assertMissingScope(reader.createPolicy(VALID_POLICY), "risk:write");
        assertMissingScope(writer.get("/auth/risk/policies"), "risk:read");
        assertMissingScope(writer.get("/auth/risk/policies/{id}", id), "risk:read");
        assertMissingScope(reader.put("/auth/risk/policies/{id}", VALID_POLICY, id), "risk:write");
        assertMissingScope(reader.delete("/auth/risk/policies/{id}", id), "risk:write");
        assertMissingScope(reader.reportSignal(VALID_SIGNAL), "risk:write");
        assertMissingScope(writer.get("/auth/risk/users/{user}/signals", "u1"), "risk:read");
        assertMissingScope(none.get("/auth/risk/stats"), "risk:read");

        RiskApi admin = RiskApi.withToken(port, TestTokens.forTenant(tenant).roles("admin").mint());
        assertThat(admin.createPolicy(Map.of("name", "by admin", "conditions", Map.of("riskScoreThreshold", 50)))
                .getStatusCode().value()).isEqualTo(201);
        assertThat(admin.get("/auth/risk/stats").getStatusCode().value()).isEqualTo(200);
        // the refused attempts changed nothing
        assertThat(reader.get("/auth/risk/policies").getBody().get("total").asLong()).isEqualTo(2);
    }

    @Test
    void aCallerWithoutATenantHasNoRiskDataToActOn() {
        RiskApi platform = RiskApi.withToken(port, TestTokens.withoutTenant().scopes("risk:read", "risk:write")
                .mint());
        for (ResponseEntity<JsonNode> response : List.of(platform.evaluate(of("u").body()),
                platform.createPolicy(VALID_POLICY), platform.get("/auth/risk/stats"))) {
            assertThat(response.getStatusCode().value()).isEqualTo(403);
            assertThat(response.getBody().get("error").asString()).isEqualTo("FORBIDDEN");
        }
    }

    // ---- policies ----

    @Test
    void policiesAreCreatedReadReplacedAndDeleted() {
        RiskApi api = RiskApi.of(port, RiskApi.freshTenant(), "risk:read", "risk:write");
        Map<String, Object> body = Map.of("name", "Office hours in Paris", "description", "staff only",
                "conditions", Map.of("riskScoreThreshold", 40, "geoRestrictions", List.of("fr", "BE", "FR"),
                        "timeRestrictions", Map.of("allowedHours", Map.of("start", 22, "end", 6),
                                "timezone", "Europe/Paris")),
                "actions", Map.of("onHighRisk", "deny", "challengeType", "captcha"), "enabled", true);
        ResponseEntity<JsonNode> created = api.createPolicy(body);
        assertThat(created.getStatusCode().value()).isEqualTo(201);
        JsonNode policy = created.getBody();
        String id = policy.get("policyId").asString();
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(policy.get("name").asString()).isEqualTo("Office hours in Paris");
        assertThat(policy.get("enabled").asBoolean()).isTrue();
        Instant createdAt = Instant.parse(policy.get("createdAt").asString());
        assertThat(policy.properties()).hasSize(4);
        assertThat(created.getHeaders().getLocation().getPath()).isEqualTo("/auth/risk/policies/" + id);

        JsonNode details = api.get("/auth/risk/policies/{id}", id).getBody();
        assertThat(details.get("description").asString()).isEqualTo("staff only");
        JsonNode conditions = details.get("conditions");
        assertThat(conditions.get("riskScoreThreshold").asInt()).isEqualTo(40);
        assertThat(conditions.get("geoRestrictions").toString()).isEqualTo("[\"FR\",\"BE\"]");
        assertThat(conditions.get("timeRestrictions").get("allowedHours").get("start").asInt()).isEqualTo(22);
        assertThat(conditions.get("timeRestrictions").get("allowedHours").get("end").asInt()).isEqualTo(6);
        assertThat(conditions.get("timeRestrictions").get("timezone").asString()).isEqualTo("Europe/Paris");
        assertThat(details.get("actions").get("onHighRisk").asString()).isEqualTo("deny");
        assertThat(details.get("actions").get("challengeType").asString()).isEqualTo("captcha");
        assertThat(Instant.parse(details.get("createdAt").asString())).isEqualTo(createdAt);

        ResponseEntity<JsonNode> replaced = api.put("/auth/risk/policies/{id}", Map.of("name", "Renamed",
                "conditions", Map.of("riskScoreThreshold", 90), "enabled", false), id);
        assertThat(replaced.getStatusCode().value()).isEqualTo(200);
        assertThat(replaced.getBody().get("name").asString()).isEqualTo("Renamed");
        assertThat(replaced.getBody().get("enabled").asBoolean()).isFalse();
        assertThat(replaced.getBody().get("conditions").get("geoRestrictions").isNull()).isTrue();
        assertThat(replaced.getBody().get("actions").get("onHighRisk").asString()).isEqualTo("challenge");
        assertThat(replaced.getBody().get("actions").get("challengeType").asString()).isEqualTo("mfa");
        assertThat(Instant.parse(replaced.getBody().get("updatedAt").asString())).isAfter(createdAt);
        assertThat(Instant.parse(replaced.getBody().get("createdAt").asString())).isEqualTo(createdAt);

        assertThat(api.delete("/auth/risk/policies/{id}", id).getStatusCode().value()).isEqualTo(204);
        ResponseEntity<JsonNode> gone = api.get("/auth/risk/policies/{id}", id);
        assertThat(gone.getStatusCode().value()).isEqualTo(404);
        assertThat(gone.getBody().get("error").asString()).isEqualTo("NOT_FOUND");
        assertThat(api.delete("/auth/risk/policies/{id}", id).getStatusCode().value()).isEqualTo(404);
        assertThat(api.put("/auth/risk/policies/{id}", VALID_POLICY, id).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void policyNamesAreUniquePerTenantRegardlessOfCase() {
        RiskApi api = RiskApi.of(port, RiskApi.freshTenant(), "risk:read", "risk:write");
        String first = api.createdPolicy(VALID_POLICY);
        ResponseEntity<JsonNode> duplicate = api.createPolicy(Map.of("name", "BASELINE",
                "conditions", Map.of("riskScoreThreshold", 10)));
        assertThat(duplicate.getStatusCode().value()).isEqualTo(409);
        assertThat(duplicate.getBody().get("error").asString()).isEqualTo("CONFLICT");
        assertThat(duplicate.getBody().get("details").get("field").asString()).isEqualTo("name");
        String second = api.createdPolicy(Map.of("name", "other", "conditions", Map.of("riskScoreThreshold", 10)));
        assertThat(api.put("/auth/risk/policies/{id}", VALID_POLICY, second).getStatusCode().value()).isEqualTo(409);
        // renaming a policy to its own name is no conflict
        assertThat(api.put("/auth/risk/policies/{id}", VALID_POLICY, first).getStatusCode().value()).isEqualTo(200);
        // another tenant may use the name
        assertThat(RiskApi.of(port, RiskApi.freshTenant(), "risk:write").createPolicy(VALID_POLICY)
                .getStatusCode().value()).isEqualTo(201);
    }

    @Test
    void policiesAreListedOldestFirstWithPagingAndAnEnabledFilter() {
        RiskApi api = RiskApi.of(port, RiskApi.freshTenant(), "risk:read", "risk:write");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(api.createdPolicy(Map.of("name", "p" + i, "enabled", i != 1,
                    "conditions", Map.of("riskScoreThreshold", 50 + i))));
        }
        JsonNode all = api.get("/auth/risk/policies").getBody();
        assertThat(all.get("total").asLong()).isEqualTo(3);
        assertThat(all.get("limit").asInt()).isEqualTo(50);
        assertThat(all.get("offset").asInt()).isZero();
        assertThat(all.get("policies").findValuesAsString("policyId")).containsExactlyElementsOf(ids);
        JsonNode first = all.get("policies").get(0);
        assertThat(first.properties()).extracting(Map.Entry::getKey)
                .containsExactly("policyId", "name", "enabled", "createdAt", "updatedAt");

        JsonNode page = api.get("/auth/risk/policies?limit=2&offset=1").getBody();
        assertThat(page.get("policies").findValuesAsString("policyId")).containsExactly(ids.get(1), ids.get(2));
        assertThat(page.get("total").asLong()).isEqualTo(3);
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("offset").asInt()).isEqualTo(1);
        assertThat(api.get("/auth/risk/policies?offset=3").getBody().get("policies").isEmpty()).isTrue();

        JsonNode disabled = api.get("/auth/risk/policies?enabled=false").getBody();
        assertThat(disabled.get("policies").findValuesAsString("policyId")).containsExactly(ids.get(1));
        assertThat(disabled.get("total").asLong()).isEqualTo(1);
        JsonNode enabled = api.get("/auth/risk/policies?enabled=true&limit=1").getBody();
        assertThat(enabled.get("policies").findValuesAsString("policyId")).containsExactly(ids.get(0));
        assertThat(enabled.get("total").asLong()).isEqualTo(2);
    }

    @Test
    void badPoliciesAreRefusedNamingTheFieldAndNothingIsStored() {
        RiskApi api = RiskApi.of(port, RiskApi.freshTenant(), "risk:read", "risk:write");
        Map<String, String> expectations = new LinkedHashMap<>();
        expectations.put("{\"conditions\":{\"riskScoreThreshold\":5}}", "name");
        expectations.put("{\"name\":\" \",\"conditions\":{\"riskScoreThreshold\":5}}", "name");
        expectations.put("{\"name\":\"" + "n".repeat(201) + "\",\"conditions\":{\"riskScoreThreshold\":5}}", "name");
        expectations.put("{\"name\":\"x\"}", "conditions");
        expectations.put("{\"name\":\"x\",\"conditions\":{}}", "conditions");
        expectations.put("{\"name\":\"x\",\"conditions\":{\"riskScoreThreshold\":101}}",
                "conditions.riskScoreThreshold");
        expectations.put("{\"name\":\"x\",\"conditions\":{\"riskScoreThreshold\":-1}}",
                "conditions.riskScoreThreshold");
        expectations.put("{\"name\":\"x\",\"conditions\":{\"riskScoreThreshold\":\"high\"}}",
                "conditions.riskScoreThreshold");
        expectations.put("{\"name\":\"x\",\"conditions\":{\"geoRestrictions\":[]}}", "conditions.geoRestrictions");
        expectations.put("{\"name\":\"x\",\"conditions\":{\"geoRestrictions\":[\"FR\",\"ZZ\"]}}",
                "conditions.geoRestrictions[1]");
        expectations.put("{\"name\":\"x\",\"conditions\":{\"geoRestrictions\":[\"France\"]}}",
                "conditions.geoRestrictions[0]");
        expectations.put("{\"name\":\"x\",\"conditions\":{\"geoRestrictions\":\"FR\"}}",
                "conditions.geoRestrictions");
        expectations.put(timePolicy("{\"start\":24,\"end\":5}", "\"UTC\""),
                "conditions.timeRestrictions.allowedHours.start");
        expectations.put(timePolicy("{\"start\":-1,\"end\":5}", "\"UTC\""),
                "conditions.timeRestrictions.allowedHours.start");
        expectations.put(timePolicy("{\"start\":1,\"end\":25}", "\"UTC\""),
                "conditions.timeRestrictions.allowedHours.end");
        expectations.put(timePolicy("{\"start\":9,\"end\":9}", "\"UTC\""),
                "conditions.timeRestrictions.allowedHours.end");
        expectations.put(timePolicy("{\"start\":9}", "\"UTC\""), "conditions.timeRestrictions.allowedHours.end");
        expectations.put(timePolicy("{\"start\":9,\"end\":17}", "\"Mars/Olympus_Mons\""),
                "conditions.timeRestrictions.timezone");
        expectations.put(timePolicy("{\"start\":9,\"end\":17}", "\"+02:00\""),
                "conditions.timeRestrictions.timezone");
        expectations.put("{\"name\":\"x\",\"conditions\":{\"timeRestrictions\":{\"timezone\":\"UTC\"}}}",
                "conditions.timeRestrictions.allowedHours");
        expectations.put("{\"name\":\"x\",\"conditions\":{\"riskScoreThreshold\":5},\"actions\":{\"onHighRisk\":"
                + "\"block\"}}", "actions.onHighRisk");
        expectations.put("{\"name\":\"x\",\"conditions\":{\"riskScoreThreshold\":5},\"actions\":{\"challengeType\":"
                + "\"sms\"}}", "actions.challengeType");
        expectations.put("{\"name\":\"x\",\"conditions\":{\"riskScoreThreshold\":5},\"enabled\":\"sometimes\"}",
                "enabled");
        for (Map.Entry<String, String> expectation : expectations.entrySet()) {
            assertBadRequest(api.postJson("/auth/risk/policies", expectation.getKey()), expectation.getValue());
        }
        ResponseEntity<JsonNode> unknownAction = api.postJson("/auth/risk/policies",
                "{\"name\":\"x\",\"conditions\":{\"riskScoreThreshold\":5},\"actions\":{\"onHighRisk\":\"block\"}}");
        assertThat(unknownAction.getBody().get("details").get("allowedValues").toString())
                .isEqualTo("[\"challenge\",\"deny\"]");
        assertBadRequest(api.postJson("/auth/risk/policies", "{\"name\":"), "body");
        assertThat(api.get("/auth/risk/policies").getBody().get("total").asLong()).isZero();

        String id = api.createdPolicy(VALID_POLICY);
        assertBadRequest(api.put("/auth/risk/policies/{id}", Map.of("name", "x"), id), "conditions");
        assertBadRequest(api.get("/auth/risk/policies/{id}", "not-a-uuid"), "policyId");
        assertThat(api.get("/auth/risk/policies/{id}", id).getBody().get("name").asString()).isEqualTo("baseline");

        assertBadRequest(api.get("/auth/risk/policies?limit=0"), "limit");
        assertBadRequest(api.get("/auth/risk/policies?limit=201"), "limit");
        assertBadRequest(api.get("/auth/risk/policies?limit=ten"), "limit");
        assertBadRequest(api.get("/auth/risk/policies?offset=-1"), "offset");
        assertBadRequest(api.get("/auth/risk/policies?enabled=maybe"), "enabled");
        assertThat(api.get("/auth/risk/policies?limit=200").getStatusCode().value()).isEqualTo(200);
    }

    private static String timePolicy(String hours, String zone) {
        return "{\"name\":\"x\",\"conditions\":{\"timeRestrictions\":{\"allowedHours\":" + hours
                + ",\"timezone\":" + zone + "}}}";
    }

    // ---- evaluation ----

    @Test
    void badEvaluationsAreRefusedNamingTheFieldAndNotStored() {
        String tenant = RiskApi.freshTenant();
        RiskApi api = RiskApi.of(port, tenant, "risk:read");
        Map<String, String> expectations = new LinkedHashMap<>();
        expectations.put("{}", "userId");
        expectations.put("{\"userId\":\"\"}", "userId");
        expectations.put("{\"userId\":\"" + "u".repeat(201) + "\"}", "userId");
        expectations.put("{\"userId\":\"u\",\"ipAddress\":\"999.1.1.1\"}", "ipAddress");
        expectations.put("{\"userId\":\"u\",\"ipAddress\":\"localhost\"}", "ipAddress");
        expectations.put("{\"userId\":\"u\",\"deviceFingerprint\":\"\"}", "deviceFingerprint");
        expectations.put("{\"userId\":\"u\",\"geoLocation\":{\"latitude\":90.01,\"longitude\":0}}",
                "geoLocation.latitude");
        expectations.put("{\"userId\":\"u\",\"geoLocation\":{\"latitude\":-91,\"longitude\":0}}",
                "geoLocation.latitude");
        expectations.put("{\"userId\":\"u\",\"geoLocation\":{\"latitude\":0,\"longitude\":180.5}}",
                "geoLocation.longitude");
        expectations.put("{\"userId\":\"u\",\"geoLocation\":{\"latitude\":0,\"longitude\":-181}}",
                "geoLocation.longitude");
        expectations.put("{\"userId\":\"u\",\"geoLocation\":{\"latitude\":10}}", "geoLocation.longitude");
        expectations.put("{\"userId\":\"u\",\"geoLocation\":{\"longitude\":10}}", "geoLocation.latitude");
        expectations.put("{\"userId\":\"u\",\"geoLocation\":{\"latitude\":\"north\",\"longitude\":10}}",
                "geoLocation.latitude");
        expectations.put("{\"userId\":\"u\",\"geoLocation\":{\"country\":\"XX\"}}", "geoLocation.country");
        expectations.put("{\"userId\":\"u\",\"geoLocation\":{\"country\":\"France\"}}", "geoLocation.country");
        expectations.put("{\"userId\":\"u\",\"sessionContext\":{\"previousLoginAt\":\"yesterday\"}}",
                "sessionContext.previousLoginAt");
        expectations.put("{\"userId\":\"u\",\"sessionContext\":{\"previousLoginAt\":\"2025-13-01T00:00:00Z\"}}",
                "sessionContext.previousLoginAt");
        expectations.put("{\"userId\":\"u\",\"sessionContext\":{\"previousLoginAt\":\"2999-01-01T00:00:00Z\"}}",
                "sessionContext.previousLoginAt");
        expectations.put("{\"userId\":\"u\",\"sessionContext\":{\"failedAttempts\":-1}}",
                "sessionContext.failedAttempts");
        expectations.put("{\"userId\":\"u\",\"sessionContext\":{\"failedAttempts\":\"three\"}}",
                "sessionContext.failedAttempts");
        expectations.put("{\"userId\":\"u\",\"sessionContext\":{\"failedAttempts\":1000001}}",
                "sessionContext.failedAttempts");
        for (Map.Entry<String, String> expectation : expectations.entrySet()) {
            assertBadRequest(api.postJson("/auth/risk/evaluate", expectation.getKey()), expectation.getValue());
        }
        assertBadRequest(api.postJson("/auth/risk/evaluate", "not json"), "body");
        assertThat(api.get("/auth/risk/stats").getBody().get("totalEvaluations").asLong()).isZero();

        // offsets and IPv6 are fine
        JsonNode accepted = api.evaluated(Map.of("userId", "u", "ipAddress", "2001:db8::1",
                "geoLocation", Map.of("country", "fr", "latitude", -90, "longitude", 180),
                "sessionContext", Map.of("previousLoginAt", "2025-01-01T12:00:00+02:00", "failedAttempts", 0)));
        assertThat(accepted.get("riskLevel").asString()).isEqualTo("low");
        assertThat(api.get("/auth/risk/stats").getBody().get("totalEvaluations").asLong()).isEqualTo(1);
    }

    @Test
    void theEvaluationResponseHasTheDocumentedShape() {
        JsonNode evaluation = RiskApi.of(port, RiskApi.freshTenant())
                .evaluated(of("shape").from(PARIS).device("d").failedAttempts(1).body());
        assertThat(evaluation.properties()).extracting(Map.Entry::getKey).containsExactly("riskScore", "riskLevel",
                "factors", "recommendation", "challengeType", "evaluationId", "evaluatedAt", "appliedPolicies");
        assertThat(evaluation.get("riskScore").isInt()).isTrue();
        for (JsonNode factor : evaluation.get("factors")) {
            assertThat(factor.properties()).extracting(Map.Entry::getKey).containsExactly("name", "score", "reason");
            assertThat(factor.get("score").isInt()).isTrue();
            assertThat(factor.get("reason").asString()).isNotBlank();
        }
    }

    // ---- signals ----

    @Test
    void signalsAreRecordedAndListedNewestFirst() throws InterruptedException {
        RiskApi api = RiskApi.of(port, RiskApi.freshTenant(), "risk:read", "risk:write");
        Instant before = Instant.now().minusSeconds(1);
        ResponseEntity<JsonNode> recorded = api.reportSignal(Map.of("userId", "victim",
                "signalType", "suspicious_login", "severity", "medium",
                "metadata", Map.of("ipAddress", "198.51.100.4", "userAgent", "curl/8.5",
                        "details", Map.of("attempts", 3, "source", Map.of("feed", "abuse-ch")))));
        assertThat(recorded.getStatusCode().value()).isEqualTo(201);
        assertThat(recorded.getBody().properties()).extracting(Map.Entry::getKey)
                .containsExactly("signalId", "recordedAt");
        String firstId = recorded.getBody().get("signalId").asString();
        Instant firstAt = Instant.parse(recorded.getBody().get("recordedAt").asString());
        assertThat(firstAt).isAfter(before);
        Thread.sleep(5);
        String secondId = api.reportSignal(Map.of("userId", "victim", "signalType", "impossible_travel",
                "severity", "critical")).getBody().get("signalId").asString();
        api.reportSignal(Map.of("userId", "bystander", "signalType", "new_device", "severity", "low"));

        JsonNode list = api.get("/auth/risk/users/{user}/signals", "victim").getBody();
        assertThat(list.get("total").asLong()).isEqualTo(2);
        assertThat(list.get("signals").findValuesAsString("signalId")).containsExactly(secondId, firstId);
        JsonNode first = list.get("signals").get(1);
        assertThat(first.properties()).extracting(Map.Entry::getKey)
                .containsExactly("signalId", "signalType", "severity", "recordedAt", "metadata");
        assertThat(first.get("signalType").asString()).isEqualTo("suspicious_login");
        assertThat(first.get("severity").asString()).isEqualTo("medium");
        assertThat(Instant.parse(first.get("recordedAt").asString())).isEqualTo(firstAt);
        assertThat(first.get("metadata").get("ipAddress").asString()).isEqualTo("198.51.100.4");
        assertThat(first.get("metadata").get("userAgent").asString()).isEqualTo("curl/8.5");
        assertThat(first.get("metadata").get("details").get("source").get("feed").asString()).isEqualTo("abuse-ch");
        assertThat(first.get("metadata").get("details").get("attempts").asInt()).isEqualTo(3);

        JsonNode limited = api.get("/auth/risk/users/{user}/signals?limit=1", "victim").getBody();
        assertThat(limited.get("signals").findValuesAsString("signalId")).containsExactly(secondId);
        assertThat(limited.get("total").asLong()).isEqualTo(2);
        JsonNode since = api.get("/auth/risk/users/{user}/signals?since={since}", "victim",
                firstAt.plusNanos(1000).toString()).getBody();
        assertThat(since.get("signals").findValuesAsString("signalId")).containsExactly(secondId);
        assertThat(since.get("total").asLong()).isEqualTo(1);
        JsonNode sinceInclusive = api.get("/auth/risk/users/{user}/signals?since={since}", "victim",
                firstAt.toString()).getBody();
        assertThat(sinceInclusive.get("total").asLong()).isEqualTo(2);
        assertThat(api.get("/auth/risk/users/{user}/signals", "nobody").getBody().get("total").asLong()).isZero();
    }

    @Test
    void badSignalsAreRefusedNamingTheField() {
        RiskApi api = RiskApi.of(port, RiskApi.freshTenant(), "risk:read", "risk:write");
        Map<String, String> expectations = new LinkedHashMap<>();
        expectations.put("{\"signalType\":\"brute_force\",\"severity\":\"low\"}", "userId");
        expectations.put("{\"userId\":\"u\",\"severity\":\"low\"}", "signalType");
        expectations.put("{\"userId\":\"u\",\"signalType\":\"phishing\",\"severity\":\"low\"}", "signalType");
        expectations.put("{\"userId\":\"u\",\"signalType\":\"brute_force\"}", "severity");
        expectations.put("{\"userId\":\"u\",\"signalType\":\"brute_force\",\"severity\":\"extreme\"}", "severity");
        expectations.put("{\"userId\":\"u\",\"signalType\":\"brute_force\",\"severity\":\"LOW\"}", "severity");
        expectations.put("{\"userId\":\"u\",\"signalType\":\"brute_force\",\"severity\":\"low\","
                + "\"metadata\":{\"ipAddress\":\"1.2.3\"}}", "metadata.ipAddress");
        expectations.put("{\"userId\":\"u\",\"signalType\":\"brute_force\",\"severity\":\"low\","
                + "\"metadata\":{\"details\":\"text\"}}", "metadata.details");
        expectations.put("{\"userId\":\"u\",\"signalType\":\"brute_force\",\"severity\":\"low\","
                + "\"metadata\":{\"details\":[1,2]}}", "metadata.details");
        expectations.put("{\"userId\":\"u\",\"signalType\":\"brute_force\",\"severity\":\"low\","
                + "\"metadata\":{\"details\":{\"blob\":\"" + "x".repeat(17_000) + "\"}}}", "metadata.details");
        for (Map.Entry<String, String> expectation : expectations.entrySet()) {
            assertBadRequest(api.postJson("/auth/risk/signals", expectation.getKey()), expectation.getValue());
        }
        ResponseEntity<JsonNode> badType = api.postJson("/auth/risk/signals",
                "{\"userId\":\"u\",\"signalType\":\"phishing\",\"severity\":\"low\"}");
        assertThat(badType.getBody().get("details").get("allowedValues").toString()).isEqualTo(
                "[\"suspicious_login\",\"credential_stuffing\",\"brute_force\",\"impossible_travel\",\"new_device\"]");
        assertThat(api.get("/auth/risk/users/{user}/signals", "u").getBody().get("total").asLong()).isZero();

        assertBadRequest(api.get("/auth/risk/users/{user}/signals?since=last-week", "u"), "since");
        assertBadRequest(api.get("/auth/risk/users/{user}/signals?since=2025-01-01", "u"), "since");
        assertBadRequest(api.get("/auth/risk/users/{user}/signals?limit=0", "u"), "limit");
        assertBadRequest(api.get("/auth/risk/users/{user}/signals?limit=201", "u"), "limit");
        assertBadRequest(api.get("/auth/risk/users/{user}/signals", "u".repeat(201)), "userId");
    }

    @Test
    void anUnknownStatsPeriodIsRefused() {
        RiskApi api = RiskApi.of(port, RiskApi.freshTenant(), "risk:read");
        for (String period : new String[] {"2h", "24H", "", "month"}) {
            ResponseEntity<JsonNode> response = api.get("/auth/risk/stats?period={p}", period);
            assertBadRequest(response, "period");
            assertThat(response.getBody().get("details").get("allowedValues").toString())
                    .isEqualTo("[\"1h\",\"24h\",\"7d\",\"30d\"]");
        }
    }

    private static void assertMissingScope(ResponseEntity<JsonNode> response, String scope) {
        assertThat(response.getStatusCode().value()).isEqualTo(403);
        assertThat(response.getBody().get("error").asString()).isEqualTo("INSUFFICIENT_SCOPE");
        assertThat(response.getBody().get("details").get("missingScopes").toString()).isEqualTo("[\"" + scope + "\"]");
    }

    static void assertBadRequest(ResponseEntity<JsonNode> response, String field) {
        Function<ResponseEntity<JsonNode>, String> describe = r -> r.getStatusCode() + " " + r.getBody();
        assertThat(response.getStatusCode().value()).as(describe.apply(response)).isEqualTo(400);
        assertThat(response.getBody().get("error").asString()).isEqualTo("BAD_REQUEST");
        assertThat(response.getBody().get("details").get("field").asString()).as(describe.apply(response))
                .isEqualTo(field);
    }
}
