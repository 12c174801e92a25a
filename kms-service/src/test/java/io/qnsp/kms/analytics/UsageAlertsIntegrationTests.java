package io.qnsp.kms.analytics;

import io.qnsp.kms.KmsApi;
import io.qnsp.kms.KmsScopes;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertForbidden;
import static io.qnsp.test.http.ApiAssertions.assertStatus;
import static io.qnsp.kms.KmsAssertions.b64;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Usage alert rules and alerts over real HTTP. The evaluation is run by calling the evaluator, never by waiting for
 * its schedule; a scheduled run may happen in between too, which the assertions allow for (it can only do what the
 * direct call would).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class UsageAlertsIntegrationTests {

    private static final String RULES = "/kms/v1/analytics/alert-rules";
    private static final String ALERTS = "/kms/v1/analytics/alerts";

    @LocalServerPort
    int port;

    @Autowired
    AlertEvaluation evaluation;

    @Autowired
    JdbcTemplate jdbc;

    String tenant;
    KmsApi api;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        api = KmsApi.of(port, tenant, "ops-alice", KmsApi.ALL_SCOPES);
    }

    @Test
    void aRuleFiresOnceForABreachAndNotBelowItsThreshold() {
        String keyId = api.createKey("watched", "AES-256-GCM");
        String busy = api.createKey("busy-but-unwatched", "AES-256-GCM");
        String ruleId = createRule("more than 3 encrypts", List.of(keyId), "operation_count", "gt", 3, "1h", "high");
        String quietRule = createRule("more than 100", List.of(keyId), "operation_count", "gt", 100, "1h", "low");

        for (int i = 0; i < 3; i++) {
            encrypt(keyId, 16);
        }
        // the other key's traffic is not the watched key's
        for (int i = 0; i < 5; i++) {
            encrypt(busy, 16);
        }
        evaluation.evaluate();
        assertThat(alerts("")).isEmpty();

        encrypt(keyId, 16);
        evaluation.evaluate();
        evaluation.evaluate();
        List<JsonNode> raised = alerts("");
        assertThat(raised).hasSize(1);
        JsonNode alert = raised.getFirst();
        assertThat(alert.get("ruleId").asString()).isEqualTo(ruleId);
        assertThat(alert.get("keyId").asString()).isEqualTo(keyId);
        assertThat(alert.get("alertType").asString()).isEqualTo("threshold_exceeded");
        assertThat(alert.get("severity").asString()).isEqualTo("high");
        assertThat(alert.get("observedValue").asLong()).isEqualTo(4);
        assertThat(alert.get("message").asString()).contains("operation_count", "4", "3", "1h");
        assertThat(alert.get("acknowledged").asBoolean()).isFalse();
        assertThat(alert.get("resolvedAt").isNull()).isTrue();
        assertThat(quietRule).isNotEqualTo(ruleId);

        // still breaching: no second alert, whatever the traffic
        encrypt(keyId, 16);
        evaluation.evaluate();
        assertThat(alerts("")).hasSize(1);

        // the condition no longer holds: resolved; it holds again: a new breach, a new alert
        ok(api.patch(RULES + "/" + ruleId, Map.of("condition", condition("operation_count", "gt", 10, "1h"))));
        evaluation.evaluate();
        assertThat(alerts("?status=open")).isEmpty();
        List<JsonNode> resolved = alerts("?status=resolved");
        assertThat(resolved).hasSize(1);
        assertThat(resolved.getFirst().get("resolvedAt").isNull()).isFalse();
        ok(api.patch(RULES + "/" + ruleId, Map.of("condition", condition("operation_count", "gt", 4, "1h"))));
        evaluation.evaluate();
        List<JsonNode> open = alerts("?status=open");
        assertThat(open).hasSize(1);
        assertThat(open.getFirst().get("alertId").asString()).isNotEqualTo(alert.get("alertId").asString());
        assertThat(open.getFirst().get("observedValue").asLong()).isEqualTo(5);
        assertThat(alerts("?ruleId=" + ruleId)).hasSize(2);
        assertThat(alerts("?ruleId=" + quietRule)).isEmpty();

        // disabling the rule resolves its alert and stops it
        ok(api.patch(RULES + "/" + ruleId, Map.of("enabled", false)));
        evaluation.evaluate();
        assertThat(alerts("?status=open")).isEmpty();
    }

    @Test
    void errorRateAndBytesAndLowTrafficRulesCompareTheirOwnMetric() {
        String keyId = api.createKey("flaky", "AES-256-GCM");
        String idle = api.createKey("idle", "AES-256-GCM");
        String errorRule = createRule("errors above 20%", List.of(keyId), "error_rate", "gt", 20, "15m", "critical");
        String bytesRule = createRule("over 1 KB", List.of(), "bytes_processed", "gt", 1024, "24h", "medium");
        String idleRule = createRule("idle key", List.of(idle), "operation_count", "lt", 1, "1h", "low");
        String exactRule = createRule("exactly 25%", List.of(keyId), "error_rate", "eq", 25, "1h", "low");

        String ciphertext = null;
        for (int size : new int[]{300, 300, 300}) {
            ciphertext = encrypt(keyId, size);
        }
        byte[] tampered = Base64.getDecoder().decode(ciphertext);
        tampered[tampered.length - 1] ^= 1;
        assertThat(api.post("/kms/v1/decrypt", Map.of("ciphertext", b64(tampered))).getStatusCode().value())
                .isEqualTo(400);
        evaluation.evaluate();

        // 1 failure in 4 operations is 25%; 900 bytes are not over 1024; the idle key had no operation
        Map<String, JsonNode> byRule = new HashMap<>();
        alerts("").forEach(alert -> byRule.put(alert.get("ruleId").asString(), alert));
        assertThat(byRule.keySet()).containsExactlyInAnyOrder(errorRule, idleRule, exactRule);
        assertThat(byRule.get(errorRule).get("observedValue").decimalValue()).isEqualByComparingTo("25");
        assertThat(byRule.get(errorRule).get("severity").asString()).isEqualTo("critical");
        assertThat(byRule.get(idleRule).get("keyId").asString()).isEqualTo(idle);

        // a rule on every key (no keyIds) has no key of its own
        encrypt(idle, 200);
        evaluation.evaluate();
        JsonNode bytesAlert = alerts("?status=open").stream()
                .filter(a -> a.get("ruleId").asString().equals(bytesRule)).findFirst().orElseThrow();
        assertThat(bytesAlert.get("observedValue").asLong()).isEqualTo(1100);
        assertThat(bytesAlert.get("keyId").isNull()).isTrue();
        // the idle key was used: its alert is resolved
        assertThat(alerts("?status=resolved").stream().map(a -> a.get("ruleId").asString())).containsExactly(idleRule);
    }

    @Test
    void anAlertIsAcknowledgedOnceByTheNamedCaller() {
        String keyId = api.createKey("ack", "AES-256-GCM");
        createRule("any use", List.of(keyId), "operation_count", "gt", 0, "1h", "medium");
        encrypt(keyId, 1);
        evaluation.evaluate();
        String alertId = alerts("").getFirst().get("alertId").asString();
        KmsApi bob = KmsApi.of(port, tenant, "ops-bob", KmsScopes.WRITE);

        Instant before = Instant.now();
        JsonNode acknowledged = ok(bob.post(ALERTS + "/" + alertId + "/acknowledge"));
        assertThat(acknowledged.get("alertId").asString()).isEqualTo(alertId);
        assertThat(acknowledged.get("acknowledgedBy").asString()).isEqualTo("ops-bob");
        assertThat(Instant.parse(acknowledged.get("acknowledgedAt").asString())).isBetween(before.minusSeconds(1),
                Instant.now().plusSeconds(1));

        ResponseEntity<JsonNode> again = api.post(ALERTS + "/" + alertId + "/acknowledge");
        assertStatus(again, 409);
        assertThat(again.getBody().get("details").get("acknowledgedBy").asString()).isEqualTo("ops-bob");

        JsonNode listed = alerts("").getFirst();
        assertThat(listed.get("acknowledged").asBoolean()).isTrue();
        assertThat(listed.get("acknowledgedBy").asString()).isEqualTo("ops-bob");
        assertThat(listed.get("acknowledgedAt").asString()).isEqualTo(acknowledged.get("acknowledgedAt").asString());
        // acknowledged, the breach goes on: still the one alert
        evaluation.evaluate();
        assertThat(alerts("")).hasSize(1);
    }

    @Test
    void rulesAreCreatedListedUpdatedAndDeletedWithTheirAlerts() {
        String keyId = api.createKey("k", "ML-KEM-768");
        JsonNode created = ok(api.post(RULES, Map.of("name", " Spike ", "keyIds", List.of(keyId),
                "condition", condition("operation_count", "gt", 0, "24h"), "severity", "high",
                "notificationChannels", List.of("email:secops@example.com", "https://hooks.example.com/a,b"))), 201);
        String ruleId = created.get("ruleId").asString();
        assertThat(created.get("name").asString()).isEqualTo("Spike");
        Instant createdAt = Instant.parse(created.get("createdAt").asString());
        String defaults = ok(api.post(RULES, Map.of("name", "defaults",
                "condition", condition("bytes_processed", "lt", 1.5, "30m"))), 201).get("ruleId").asString();

        List<JsonNode> rules = ok(api.get(RULES)).get("rules").valueStream().toList();
        assertThat(rules.stream().map(r -> r.get("ruleId").asString())).containsExactly(ruleId, defaults);
        JsonNode rule = rules.getFirst();
        assertThat(rule.get("condition").get("metric").asString()).isEqualTo("operation_count");
        assertThat(rule.get("condition").get("operator").asString()).isEqualTo("gt");
        assertThat(rule.get("condition").get("threshold").asInt()).isZero();
        assertThat(rule.get("condition").get("window").asString()).isEqualTo("24h");
        assertThat(rule.get("severity").asString()).isEqualTo("high");
        assertThat(rule.get("enabled").asBoolean()).isTrue();
        assertThat(rule.get("keyIds").get(0).asString()).isEqualTo(keyId);
        assertThat(rule.get("notificationChannels").valueStream().map(JsonNode::asString))
                .containsExactly("email:secops@example.com", "https://hooks.example.com/a,b");
        JsonNode other = rules.get(1);
        assertThat(other.get("severity").asString()).isEqualTo("medium");
        assertThat(other.get("keyIds")).isEmpty();
        assertThat(other.get("condition").get("threshold").decimalValue()).isEqualByComparingTo("1.5");

        JsonNode updated = ok(api.patch(RULES + "/" + ruleId, Map.of("name", "Renamed", "severity", "low",
                "enabled", false)));
        assertThat(updated.get("ruleId").asString()).isEqualTo(ruleId);
        assertThat(Instant.parse(updated.get("updatedAt").asString())).isAfterOrEqualTo(createdAt);
        JsonNode changed = ok(api.get(RULES)).get("rules").get(0);
        assertThat(changed.get("name").asString()).isEqualTo("Renamed");
        assertThat(changed.get("severity").asString()).isEqualTo("low");
        assertThat(changed.get("enabled").asBoolean()).isFalse();
        assertThat(changed.get("condition").get("window").asString()).isEqualTo("24h");

        // a deleted rule takes its alerts along
        ok(api.patch(RULES + "/" + ruleId, Map.of("enabled", true)));
        api.post("/kms/v1/keys/" + keyId + "/encapsulate");
        evaluation.evaluate();
        assertThat(alerts("?ruleId=" + ruleId)).hasSize(1);
        ResponseEntity<JsonNode> deleted = api.delete(RULES + "/" + ruleId);
        assertThat(deleted.getStatusCode().value()).isEqualTo(204);
        assertThat(deleted.getBody()).isNull();
        assertThat(alerts("?ruleId=" + ruleId)).isEmpty();
        assertThat(ok(api.get(RULES)).get("rules").valueStream().map(r -> r.get("ruleId").asString()))
                .containsExactly(defaults);
        assertStatus(api.delete(RULES + "/" + ruleId), 404);
        assertStatus(api.patch(RULES + "/" + ruleId, Map.of("name", "x")), 404);
    }

    @Test
    void badRulesAndQueriesAreRefusedNamingTheField() {
        String keyId = api.createKey("k", "AES-256-GCM");
        Map<String, Object> good = condition("operation_count", "gt", 5, "1h");
        assertFieldRefused(api.post(RULES, Map.of("condition", good)), "name");
        assertFieldRefused(api.post(RULES, Map.of("name", "n".repeat(129), "condition", good)), "name");
        assertFieldRefused(api.post(RULES, Map.of("name", "n")), "condition");
        assertFieldRefused(api.post(RULES, Map.of("name", "n", "condition", condition("latency", "gt", 5, "1h"))),
                "condition.metric");
        assertFieldRefused(api.post(RULES, Map.of("name", "n",
                "condition", condition("operation_count", "gte", 5, "1h"))), "condition.operator");
        assertFieldRefused(api.post(RULES, Map.of("name", "n",
                "condition", condition("operation_count", "gt", -1, "1h"))), "condition.threshold");
        assertFieldRefused(api.post(RULES, Map.of("name", "n",
                "condition", condition("error_rate", "gt", 101, "1h"))), "condition.threshold");
        assertFieldRefused(api.postJson(RULES, "{\"name\": \"n\", \"condition\": {\"metric\": \"error_rate\", "
                + "\"operator\": \"gt\", \"threshold\": \"lots\", \"window\": \"1h\"}}"), "condition.threshold");
        for (String window : List.of("1w", "0h", "31d", "h", "1.5h")) {
            assertFieldRefused(api.post(RULES, Map.of("name", "n",
                    "condition", condition("operation_count", "gt", 5, window))), "condition.window");
        }
        assertFieldRefused(api.post(RULES, Map.of("name", "n", "condition", good, "severity", "urgent")),
                "severity");
        assertFieldRefused(api.post(RULES, Map.of("name", "n", "condition", good, "keyIds", List.of(keyId, "x"))),
                "keyIds[1]");
        assertFieldRefused(api.post(RULES, Map.of("name", "n", "condition", good,
                "notificationChannels", List.of(""))), "notificationChannels[0]");
        assertThat(ok(api.get(RULES)).get("rules")).isEmpty();

        String ruleId = createRule("valid", List.of(), "operation_count", "gt", 5, "1h", "low");
        assertFieldRefused(api.patch(RULES + "/" + ruleId, Map.of("condition", Map.of("metric", "error_rate"))),
                "condition.operator");
        assertFieldRefused(api.patch(RULES + "/" + ruleId, Map.of("name", " ")), "name");
        assertFieldRefused(api.patch(RULES + "/" + ruleId, Map.of("severity", "none")), "severity");
        assertFieldRefused(api.patch(RULES + "/" + ruleId, Map.of("enabled", "sometimes")), "enabled");
        assertThat(ok(api.get(RULES)).get("rules").get(0).get("name").asString()).isEqualTo("valid");

        assertFieldRefused(api.get(ALERTS + "?status=closed"), "status");
        assertFieldRefused(api.get(ALERTS + "?limit=0"), "limit");
        assertFieldRefused(api.get(ALERTS + "?limit=501"), "limit");
        assertFieldRefused(api.get(ALERTS + "?ruleId=nope"), "ruleId");
        // a malformed id in a path names nothing, as for keys
        assertStatus(api.post(ALERTS + "/not-a-uuid/acknowledge"), 404);
        assertStatus(api.delete(RULES + "/not-a-uuid"), 404);
    }

    @Test
    void anotherTenantsRulesAndAlertsAreNotFound() {
        String keyId = api.createKey("mine", "AES-256-GCM");
        String ruleId = createRule("mine", List.of(keyId), "operation_count", "gt", 0, "1h", "low");
        encrypt(keyId, 1);
        evaluation.evaluate();
        String alertId = alerts("").getFirst().get("alertId").asString();
        KmsApi other = KmsApi.of(port, "other-" + UUID.randomUUID(), "intruder", KmsApi.ALL_SCOPES);

        assertStatus(other.patch(RULES + "/" + ruleId, Map.of("enabled", false)), 404);
        assertStatus(other.delete(RULES + "/" + ruleId), 404);
        assertStatus(other.post(ALERTS + "/" + alertId + "/acknowledge"), 404);
        assertStatus(other.post(RULES, Map.of("name", "spy", "keyIds", List.of(keyId),
                "condition", condition("operation_count", "gt", 0, "1h"))), 404);
        assertThat(ok(other.get(RULES)).get("rules")).isEmpty();
        assertThat(ok(other.get(ALERTS)).get("alerts")).isEmpty();
        assertThat(ok(other.get(ALERTS + "?ruleId=" + ruleId)).get("alerts")).isEmpty();
        // nothing changed for the owner
        JsonNode alert = alerts("").getFirst();
        assertThat(alert.get("acknowledged").asBoolean()).isFalse();
        assertThat(ok(api.get(RULES)).get("rules").get(0).get("enabled").asBoolean()).isTrue();
    }

    @Test
    void everyAlertEndpointNeedsATokenAndItsScope() {
        String keyId = api.createKey("guarded", "AES-256-GCM");
        String ruleId = createRule("guarded", List.of(keyId), "operation_count", "gt", 0, "1h", "low");
        encrypt(keyId, 1);
        evaluation.evaluate();
        String alertId = alerts("").getFirst().get("alertId").asString();
        KmsApi anonymous = KmsApi.withToken(port, null);
        KmsApi user = KmsApi.of(port, tenant, "user", KmsScopes.USE);
        KmsApi reader = KmsApi.of(port, tenant, "reader", KmsScopes.READ);
        Map<String, Object> rule = Map.of("name", "n", "condition", condition("operation_count", "gt", 1, "1h"));

        KmsApi expired = KmsApi.withToken(port, TestTokens.forTenant(tenant).scopes(KmsApi.ALL_SCOPES).expired()
                .mint());
        for (KmsApi refused : List.of(anonymous, expired)) {
            assertStatus(refused.get(ALERTS), 401);
            assertStatus(refused.post(ALERTS + "/" + alertId + "/acknowledge"), 401);
            assertStatus(refused.post(RULES, rule), 401);
            assertStatus(refused.get(RULES), 401);
            assertStatus(refused.patch(RULES + "/" + ruleId, Map.of("enabled", false)), 401);
            assertStatus(refused.delete(RULES + "/" + ruleId), 401);
        }

        assertForbidden(user.get(ALERTS), KmsScopes.READ);
        assertForbidden(user.get(RULES), KmsScopes.READ);
        assertForbidden(reader.post(ALERTS + "/" + alertId + "/acknowledge"), KmsScopes.WRITE);
        assertForbidden(reader.post(RULES, rule), KmsScopes.WRITE);
        assertForbidden(reader.patch(RULES + "/" + ruleId, Map.of("enabled", false)), KmsScopes.WRITE);
        assertForbidden(reader.delete(RULES + "/" + ruleId), KmsScopes.WRITE);

        // nothing was changed by the refused calls
        assertThat(ok(reader.get(ALERTS)).get("alerts").get(0).get("acknowledged").asBoolean()).isFalse();
        assertThat(ok(reader.get(RULES)).get("rules")).hasSize(1);
    }

    private String createRule(String name, List<String> keyIds, String metric, String operator, Number threshold,
                              String window, String severity) {
        return ok(api.post(RULES, Map.of("name", name, "keyIds", keyIds,
                "condition", condition(metric, operator, threshold, window), "severity", severity)), 201)
                .get("ruleId").asString();
    }

    private static Map<String, Object> condition(String metric, String operator, Number threshold, String window) {
        return Map.of("metric", metric, "operator", operator, "threshold", threshold, "window", window);
    }

    private String encrypt(String keyId, int bytes) {
        return ok(api.post("/kms/v1/keys/" + keyId + "/encrypt", Map.of("plaintext", b64(new byte[bytes]))))
                .get("ciphertext").asString();
    }

    private List<JsonNode> alerts(String query) {
        return ok(api.get(ALERTS + query)).get("alerts").valueStream().toList();
    }
}
