package io.qnsp.kms.agility;

import io.qnsp.kms.KmsApi;
import io.qnsp.test.infra.EmbeddedInfrastructure;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.qnsp.kms.agility.CryptoAgilityIntegrationTests.BASE;
import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migration plans over real HTTP: progress follows the keys actually rotated to a target algorithm, every legal
 * and illegal status transition, and the validation of each field.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class MigrationPlanIntegrationTests {

    static final String PLANS = BASE + "/migration-plans";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    KmsApi api;

    @BeforeEach
    void setUp() {
        api = KmsApi.of(port, "tenant-" + UUID.randomUUID(), "app-1", KmsApi.ALL_SCOPES);
    }

    @Test
    void progressCountsTheKeysRotatedToATargetAlgorithm() {
        String rsaA = api.createKey("rsa-a", "RSA-3072");
        String rsaB = api.createKey("rsa-b", "RSA-3072");
        String ec = api.createKey("ec", "EC-P256");
        api.createKey("kem", "ML-KEM-768");
        String start = LocalDate.now(ZoneOffset.UTC).minusDays(10).toString();
        ResponseEntity<JsonNode> created = api.post(PLANS, Map.of("name", " RSA to ML-KEM ",
                "description", "retire RSA encryption",
                "targetAlgorithms", Map.of("encryption", "ML-KEM-768", "signing", "ML-DSA-65"),
                "scope", Map.of("keyTypes", List.of("RSA-3072")),
                "schedule", Map.of("startDate", start, "phases", List.of(
                        Map.of("name", "inventory", "duration", "P7D", "actions", List.of("list RSA keys")),
                        Map.of("name", "rotate", "duration", "P1M", "actions", List.of("rotate each key"))))));
        JsonNode plan = ok(created, 201);
        String planId = plan.get("planId").asString();
        assertThat(plan.get("name").asString()).isEqualTo("RSA to ML-KEM");
        assertThat(plan.get("status").asString()).isEqualTo("draft");
        assertThat(created.getHeaders().getLocation().getPath()).isEqualTo(PLANS + "/" + planId);

        JsonNode details = ok(api.get(PLANS + "/" + planId));
        assertThat(details.get("description").asString()).isEqualTo("retire RSA encryption");
        assertThat(details.get("targetAlgorithms").get("encryption").asString()).isEqualTo("ML-KEM-768");
        assertThat(details.get("targetAlgorithms").get("keyExchange").isNull()).isTrue();
        assertThat(details.get("scope").get("keyTypes").get(0).asString()).isEqualTo("RSA-3072");
        assertThat(details.get("schedule").get("startDate").asString()).isEqualTo(start + "T00:00:00Z");
        assertThat(details.get("schedule").get("phases").get(1).get("actions").get(0).asString())
                .isEqualTo("rotate each key");
        assertProgress(details, 2, 0);
        // a draft is not under way: no current phase
        assertThat(details.get("progress").get("currentPhase").isNull()).isTrue();
        assertThat(ok(api.get(PLANS)).get("plans").get(0).get("progress").asDouble()).isZero();

        ok(api.patch(PLANS + "/" + planId, Map.of("status", "active")));
        // ten days after the start: the 7-day inventory phase is over
        assertThat(ok(api.get(PLANS + "/" + planId)).get("progress").get("currentPhase").asString())
                .isEqualTo("rotate");

        ok(api.post("/kms/v1/keys/" + rsaA + "/rotate", Map.of("algorithm", "ML-KEM-768")));
        // a rotated key stays in scope (it had an RSA-3072 version) and now counts as migrated
        assertProgress(ok(api.get(PLANS + "/" + planId)), 2, 1);
        JsonNode listed = ok(api.get(PLANS)).get("plans").get(0);
        assertThat(listed.get("planId").asString()).isEqualTo(planId);
        assertThat(listed.get("progress").asDouble()).isEqualTo(50.0);
        assertThat(listed.get("status").asString()).isEqualTo("active");

        // completing needs every key migrated
        ResponseEntity<JsonNode> early = api.patch(PLANS + "/" + planId, Map.of("status", "completed"));
        assertConflict(early);
        assertThat(early.getBody().get("message").asString()).contains("1 of 2");
        // rotating to the same classical algorithm is no migration
        ok(api.post("/kms/v1/keys/" + rsaB + "/rotate"));
        assertProgress(ok(api.get(PLANS + "/" + planId)), 2, 1);
        ok(api.post("/kms/v1/keys/" + rsaB + "/rotate", Map.of("algorithm", "ML-KEM-768")));
        assertProgress(ok(api.get(PLANS + "/" + planId)), 2, 2);
        assertThat(ok(api.get(PLANS)).get("plans").get(0).get("progress").asDouble()).isEqualTo(100.0);
        JsonNode completed = ok(api.patch(PLANS + "/" + planId, Map.of("status", "completed")));
        assertThat(completed.get("planId").asString()).isEqualTo(planId);
        assertThat(Instant.parse(completed.get("updatedAt").asString()))
                .isAfter(Instant.parse(details.get("updatedAt").asString()));
        assertThat(ok(api.get(PLANS + "/" + planId)).get("status").asString()).isEqualTo("completed");
        assertThat(jdbc.queryForList("SELECT to_status FROM migration_plan_transition WHERE plan_id = ?::uuid "
                + "ORDER BY changed_at", String.class, planId)).containsExactly("active", "completed");

        // a plan naming a key by id: the EC key moves to ML-DSA-65
        String byId = ok(api.post(PLANS, Map.of("name", "EC to ML-DSA", "targetAlgorithms",
                Map.of("signing", "ML-DSA-65"), "scope", Map.of("keyIds", List.of(ec.toUpperCase())))), 201)
                .get("planId").asString();
        JsonNode ecPlan = ok(api.get(PLANS + "/" + byId));
        assertThat(ecPlan.get("scope").get("keyIds").get(0).asString()).isEqualTo(ec);
        assertProgress(ecPlan, 1, 0);
        ok(api.post("/kms/v1/keys/" + ec + "/rotate", Map.of("algorithm", "ML-DSA-65")));
        assertProgress(ok(api.get(PLANS + "/" + byId)), 1, 1);
        // newest first
        assertThat(ok(api.get(PLANS)).get("plans").valueStream().map(p -> p.get("planId").asString()))
                .containsExactly(byId, planId);
    }

    @Test
    void everyLegalTransitionIsTakenAndEveryIllegalOneRefused() {
        // the scope's only key is already on the target, so a plan can be completed
        String kem = api.createKey("kem", "ML-KEM-768");
        Map<String, List<String>> reach = Map.of("draft", List.of(), "active", List.of("active"),
                "paused", List.of("active", "paused"), "completed", List.of("active", "completed"),
                "cancelled", List.of("cancelled"));
        Map<String, Set<String>> legal = Map.of("draft", Set.of("active", "cancelled"),
                "active", Set.of("paused", "completed", "cancelled"),
                "paused", Set.of("active", "completed", "cancelled"),
                "completed", Set.of(), "cancelled", Set.of());
        for (String from : reach.keySet()) {
            for (String to : reach.keySet()) {
                String planId = ok(api.post(PLANS, Map.of("name", from + " to " + to, "targetAlgorithms",
                        Map.of("keyExchange", "ML-KEM-768"), "scope", Map.of("keyIds", List.of(kem)))), 201)
                        .get("planId").asString();
                for (String step : reach.get(from)) {
                    ok(api.patch(PLANS + "/" + planId, Map.of("status", step)));
                }
                ResponseEntity<JsonNode> changed = api.patch(PLANS + "/" + planId, Map.of("status", to));
                if (legal.get(from).contains(to)) {
                    assertThat(changed.getStatusCode().value()).as("%s to %s: %s", from, to, changed.getBody())
                            .isEqualTo(200);
                    assertThat(ok(api.get(PLANS + "/" + planId)).get("status").asString()).isEqualTo(to);
                } else {
                    assertConflict(changed);
                    assertThat(changed.getBody().get("message").asString()).as("%s to %s", from, to)
                            .contains(from);
                    assertThat(changed.getBody().get("details").get("status").asString()).isEqualTo(from);
                    assertThat(ok(api.get(PLANS + "/" + planId)).get("status").asString()).isEqualTo(from);
                }
            }
        }
        // a closed plan no longer changes at all; an open one takes new fields
        String plan = ok(api.post(PLANS, Map.of("name", "closing", "targetAlgorithms",
                Map.of("keyExchange", "ML-KEM-768"), "scope", Map.of("keyIds", List.of(kem)))), 201)
                .get("planId").asString();
        ok(api.patch(PLANS + "/" + plan, Map.of("name", "renamed", "description", "d",
                "schedule", Map.of("startDate", "2027-01-01T12:00:00+02:00"))));
        JsonNode renamed = ok(api.get(PLANS + "/" + plan));
        assertThat(renamed.get("name").asString()).isEqualTo("renamed");
        assertThat(renamed.get("schedule").get("startDate").asString()).isEqualTo("2027-01-01T10:00:00Z");
        ok(api.patch(PLANS + "/" + plan, Map.of("status", "cancelled")));
        ResponseEntity<JsonNode> closed = api.patch(PLANS + "/" + plan, Map.of("name", "again"));
        assertConflict(closed);
        assertThat(closed.getBody().get("message").asString()).contains("cancelled");
        assertThat(ok(api.get(PLANS + "/" + plan)).get("name").asString()).isEqualTo("renamed");
    }

    @Test
    void badPlanInputIsRefusedNamingTheField() {
        String rsa = api.createKey("rsa", "RSA-3072");
        Map<String, Object> valid = Map.of("name", "plan", "targetAlgorithms", Map.of("encryption", "ML-KEM-768"),
                "scope", Map.of("keyIds", List.of(rsa)));
        assertFieldRefused(api.post(PLANS, without(valid, "name")), "name");
        assertFieldRefused(api.post(PLANS, with(valid, "name", "  ")), "name");
        assertFieldRefused(api.post(PLANS, with(valid, "name", "n".repeat(129))), "name");
        assertFieldRefused(api.post(PLANS, with(valid, "description", "d".repeat(1025))), "description");
        assertFieldRefused(api.post(PLANS, without(valid, "targetAlgorithms")), "targetAlgorithms");
        assertFieldRefused(api.post(PLANS, with(valid, "targetAlgorithms", Map.of())), "targetAlgorithms");
        // a target must be quantum-resistant and of its category
        assertFieldRefused(api.post(PLANS, with(valid, "targetAlgorithms", Map.of("encryption", "RSA-3072"))),
                "targetAlgorithms.encryption");
        assertFieldRefused(api.post(PLANS, with(valid, "targetAlgorithms", Map.of("signing", "ML-KEM-768"))),
                "targetAlgorithms.signing");
        assertFieldRefused(api.post(PLANS, with(valid, "targetAlgorithms", Map.of("keyExchange", "DES"))),
                "targetAlgorithms.keyExchange");
        assertFieldRefused(api.post(PLANS, without(valid, "scope")), "scope");
        assertFieldRefused(api.post(PLANS, with(valid, "scope", Map.of("keyIds", List.of(), "keyTypes", List.of()))),
                "scope");
        assertFieldRefused(api.post(PLANS, with(valid, "scope", Map.of("keyTypes", List.of("DES")))),
                "scope.keyTypes");
        ResponseEntity<JsonNode> unknownKey = api.post(PLANS, with(valid, "scope",
                Map.of("keyIds", List.of(rsa, "not-a-key"))));
        assertFieldRefused(unknownKey, "scope.keyIds");
        assertThat(unknownKey.getBody().get("details").get("unknownKeyIds").get(0).asString()).isEqualTo("not-a-key");
        assertFieldRefused(api.post(PLANS, with(valid, "scope", Map.of("keyIds", "one"))), "scope.keyIds");
        assertFieldRefused(api.post(PLANS, with(valid, "schedule", Map.of("startDate", "next monday"))),
                "schedule.startDate");
        assertFieldRefused(api.post(PLANS, with(valid, "schedule", Map.of("phases",
                List.of(Map.of("name", "one", "duration", "30 days"))))), "schedule.phases[0].duration");
        assertFieldRefused(api.post(PLANS, with(valid, "schedule", Map.of("phases",
                List.of(Map.of("name", "one", "duration", "P1D"), Map.of("duration", "P-1D"))))),
                "schedule.phases[1].name");
        assertFieldRefused(api.postJson(PLANS, "{\"name\": "), "body");
        assertThat(ok(api.get(PLANS)).get("plans")).isEmpty();

        String planId = ok(api.post(PLANS, valid), 201).get("planId").asString();
        assertFieldRefused(api.patch(PLANS + "/" + planId, Map.of("status", "finished")), "status");
        assertFieldRefused(api.patch(PLANS + "/" + planId, Map.of("name", "")), "name");
        assertFieldRefused(api.patch(PLANS + "/" + planId, Map.of("schedule", Map.of("startDate", "soon"))),
                "schedule.startDate");
        assertFieldRefused(api.patch(PLANS + "/" + planId, Map.of("status", 5)), "status");
        // an empty change changes nothing
        ok(api.patch(PLANS + "/" + planId, Map.of()));
        assertThat(ok(api.get(PLANS + "/" + planId)).get("status").asString()).isEqualTo("draft");
    }

    static void assertProgress(JsonNode plan, long total, long migrated) {
        assertThat(plan.get("progress").get("keysTotal").asLong()).isEqualTo(total);
        assertThat(plan.get("progress").get("keysMigrated").asLong()).isEqualTo(migrated);
    }

    static void assertConflict(ResponseEntity<JsonNode> response) {
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(409);
        assertThat(response.getBody().get("statusCode").asInt()).isEqualTo(409);
        assertThat(response.getBody().get("error").asString()).isEqualTo("PLAN_STATE_CONFLICT");
    }

    static Map<String, Object> with(Map<String, Object> body, String field, Object value) {
        Map<String, Object> changed = new HashMap<>(body);
        changed.put(field, value);
        return changed;
    }

    static Map<String, Object> without(Map<String, Object> body, String field) {
        Map<String, Object> changed = new HashMap<>(body);
        changed.remove(field);
        return changed;
    }
}
