package io.qnsp.kms.agility;

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

import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qnsp.test.http.ApiAssertions.assertFieldRefused;
import static io.qnsp.test.http.ApiAssertions.assertForbidden;
import static io.qnsp.test.http.ApiAssertions.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crypto-agility reports over real HTTP: every figure equals what the test's tenant created and did, and moves
 * exactly with a rotation; compliance findings name the offending keys; tenancy and the controls.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class CryptoAgilityIntegrationTests {

    static final String BASE = "/kms/v1/crypto-agility";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    String tenant;
    KmsApi api;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        api = KmsApi.of(port, tenant, "app-1", KmsApi.ALL_SCOPES);
    }

    @Test
    void twoRsaKeysAndOneMlKemKeyAreCountedExactlyAndARotationMovesEveryFigure() {
        String rsaA = api.createKey("rsa-a", "RSA-3072");
        String rsaB = api.createKey("rsa-b", "RSA-3072");
        String kem = api.createKey("kem", "ML-KEM-768");
        ok(api.post("/kms/v1/keys/" + rsaA + "/encrypt", Map.of("plaintext", "AAEC")));
        ok(api.post("/kms/v1/keys/" + kem + "/encapsulate"));
        // a failed operation is not a use
        assertThat(api.post("/kms/v1/keys/" + kem + "/decapsulate", Map.of("encapsulation", "AA==")).getStatusCode()
                .value()).isEqualTo(400);

        JsonNode usage = ok(api.get(BASE + "/algorithm-usage"));
        assertThat(usage.get("algorithms").valueStream().map(a -> a.get("algorithm").asString()))
                .containsExactly("AES-256-GCM", "RSA-3072", "EC-P256", "ML-KEM-768", "ML-DSA-65");
        JsonNode rsa = row(usage.get("algorithms"), "algorithm", "RSA-3072");
        assertThat(rsa.get("keyCount").asLong()).isEqualTo(2);
        assertThat(rsa.get("usageCount").asLong()).isEqualTo(1);
        assertThat(rsa.get("status").asString()).isEqualTo("acceptable");
        assertThat(rsa.get("category").asString()).isEqualTo("encryption");
        assertThat(rsa.get("lastUsedAt").isNull()).isFalse();
        JsonNode mlKem = row(usage.get("algorithms"), "algorithm", "ML-KEM-768");
        assertThat(mlKem.get("keyCount").asLong()).isEqualTo(1);
        assertThat(mlKem.get("usageCount").asLong()).isEqualTo(1);
        assertThat(mlKem.get("status").asString()).isEqualTo("recommended");
        assertThat(mlKem.get("category").asString()).isEqualTo("key_exchange");
        JsonNode aes = row(usage.get("algorithms"), "algorithm", "AES-256-GCM");
        assertThat(aes.get("keyCount").asLong()).isZero();
        assertThat(aes.get("usageCount").asLong()).isZero();
        assertThat(aes.get("lastUsedAt").isNull()).isTrue();
        assertThat(usage.get("summary").get("pqcAdoptionRate").asDouble()).isEqualTo(0.3333);
        assertThat(usage.get("summary").get("legacyAlgorithmUsage").asDouble()).isEqualTo(0.5);

        LocalDate asked = LocalDate.now(ZoneOffset.UTC);
        JsonNode adoption = ok(api.get(BASE + "/pqc-adoption"));
        LocalDate answered = LocalDate.now(ZoneOffset.UTC);
        assertThat(adoption.get("currentAdoption").get("pqcKeys").asLong()).isEqualTo(1);
        assertThat(adoption.get("currentAdoption").get("totalKeys").asLong()).isEqualTo(3);
        assertThat(adoption.get("currentAdoption").get("adoptionRate").asDouble()).isEqualTo(0.3333);
        assertThat(adoption.get("byAlgorithm").get("ML-KEM-768").asLong()).isEqualTo(1);
        assertThat(adoption.get("byAlgorithm").get("ML-DSA-65").asLong()).isZero();
        assertThat(adoption.get("trends")).hasSize(30);
        // the last day is the day the report was made (midnight UTC may pass between the operations and the
        // report, so the two operations are counted over the whole window, not on one day)
        LocalDate lastDay = LocalDate.parse(adoption.get("trends").get(29).get("date").asString());
        assertThat(lastDay).isBetween(asked, answered);
        long pqcOperations = 0;
        long classicalOperations = 0;
        for (JsonNode day : adoption.get("trends")) {
            pqcOperations += day.get("pqcOperations").asLong();
            classicalOperations += day.get("classicalOperations").asLong();
        }
        assertThat(pqcOperations).isEqualTo(1);
        assertThat(classicalOperations).isEqualTo(1);
        assertThat(adoption.get("trends").get(0).get("pqcOperations").asLong()).isZero();
        assertThat(ok(api.get(BASE + "/pqc-adoption?days=1")).get("trends")).hasSize(1);

        JsonNode readiness = ok(api.get(BASE + "/migration-readiness"));
        assertThat(readiness.get("overallScore").asDouble()).isEqualTo(33.3);
        assertMigrationStatus(readiness, 3, 1, 2, 0);
        JsonNode encryption = row(readiness.get("categories"), "category", "encryption");
        assertThat(encryption.get("score").asDouble()).isZero();
        assertThat(encryption.get("status").asString()).isEqualTo("not_ready");
        assertThat(encryption.get("blockers")).isEmpty();
        assertThat(encryption.get("recommendations").get(0).asString())
                .startsWith("Rotate 2 key(s) from RSA-3072 to ML-KEM-768");
        assertThat(row(readiness.get("categories"), "category", "key_exchange").get("status").asString())
                .isEqualTo("ready");

        JsonNode risk = ok(api.get(BASE + "/risk-assessment"));
        assertThat(row(risk.get("algorithms"), "algorithm", "RSA-3072").get("quantumRisk").asString())
                .isEqualTo("high");
        assertThat(row(risk.get("algorithms"), "algorithm", "RSA-3072").get("affectedKeys").asLong()).isEqualTo(2);
        assertThat(row(risk.get("algorithms"), "algorithm", "EC-P256").get("quantumRisk").asString())
                .isEqualTo("high");
        assertThat(row(risk.get("algorithms"), "algorithm", "AES-128").get("quantumRisk").asString())
                .isEqualTo("medium");
        assertThat(row(risk.get("algorithms"), "algorithm", "AES-256-GCM").get("quantumRisk").asString())
                .isEqualTo("low");
        assertThat(row(risk.get("algorithms"), "algorithm", "ML-KEM-768").get("affectedKeys").asLong()).isEqualTo(1);
        assertThat(row(risk.get("algorithms"), "algorithm", "ML-DSA-65").get("quantumRisk").asString())
                .isEqualTo("low");
        // never-rotated RSA encryption keys: what they protect today can be harvested
        assertThat(risk.get("assessment").get("harvestNowDecryptLater").asBoolean()).isTrue();
        assertThat(risk.get("assessment").get("longTermDataProtection").asBoolean()).isFalse();
        assertThat(risk.get("overallRisk").asString()).isEqualTo("critical");

        // one RSA key moves to ML-KEM-768
        ok(api.post("/kms/v1/keys/" + rsaA + "/rotate", Map.of("algorithm", "ML-KEM-768")));
        usage = ok(api.get(BASE + "/algorithm-usage"));
        assertThat(row(usage.get("algorithms"), "algorithm", "RSA-3072").get("keyCount").asLong()).isEqualTo(1);
        assertThat(row(usage.get("algorithms"), "algorithm", "ML-KEM-768").get("keyCount").asLong()).isEqualTo(2);
        assertThat(usage.get("summary").get("pqcAdoptionRate").asDouble()).isEqualTo(0.6667);
        adoption = ok(api.get(BASE + "/pqc-adoption"));
        assertThat(adoption.get("currentAdoption").get("pqcKeys").asLong()).isEqualTo(2);
        assertThat(adoption.get("currentAdoption").get("adoptionRate").asDouble()).isEqualTo(0.6667);
        assertThat(adoption.get("byAlgorithm").get("ML-KEM-768").asLong()).isEqualTo(2);
        readiness = ok(api.get(BASE + "/migration-readiness"));
        assertThat(readiness.get("overallScore").asDouble()).isEqualTo(66.7);
        assertMigrationStatus(readiness, 3, 2, 1, 0);
        assertThat(row(ok(api.get(BASE + "/risk-assessment")).get("algorithms"), "algorithm", "RSA-3072")
                .get("affectedKeys").asLong()).isEqualTo(1);

        // a disabled RSA key blocks the migration: a rotation would refuse it
        ok(api.post("/kms/v1/keys/" + rsaB + "/disable"));
        readiness = ok(api.get(BASE + "/migration-readiness"));
        assertMigrationStatus(readiness, 3, 2, 0, 1);
        encryption = row(readiness.get("categories"), "category", "encryption");
        assertThat(encryption.get("blockers")).hasSize(1);
        assertThat(encryption.get("blockers").get(0).asString()).contains(rsaB).contains("rsa-b").contains("disabled");

        ok(api.post("/kms/v1/keys/" + rsaB + "/enable"));
        ok(api.post("/kms/v1/keys/" + rsaB + "/rotate", Map.of("algorithm", "ML-KEM-768")));
        risk = ok(api.get(BASE + "/risk-assessment"));
        assertThat(risk.get("assessment").get("harvestNowDecryptLater").asBoolean()).isFalse();
        assertThat(risk.get("assessment").get("longTermDataProtection").asBoolean()).isTrue();
        assertThat(risk.get("overallRisk").asString()).isEqualTo("low");
        assertThat(ok(api.get(BASE + "/migration-readiness")).get("overallScore").asDouble()).isEqualTo(100.0);
    }

    @Test
    void aRecentlyRotatedRsaKeyIsNotLongLivedUntilItsVersionAges() {
        String rsa = api.createKey("rotated-rsa", "RSA-3072");
        api.createKey("signer", "EC-P256");
        ok(api.post("/kms/v1/keys/" + rsa + "/rotate"));
        JsonNode risk = ok(api.get(BASE + "/risk-assessment"));
        assertThat(risk.get("assessment").get("harvestNowDecryptLater").asBoolean()).isFalse();
        assertThat(risk.get("assessment").get("longTermDataProtection").asBoolean()).isFalse();
        assertThat(risk.get("overallRisk").asString()).isEqualTo("high");
        assertThat(row(risk.get("algorithms"), "algorithm", "EC-P256").get("affectedKeys").asLong()).isEqualTo(1);

        // 91 days later the current version is long-lived
        jdbc.update("UPDATE kms_key SET rotated_at = now() - interval '91 days' WHERE key_id = ?::uuid", rsa);
        jdbc.update("UPDATE kms_key_version SET created_at = now() - interval '91 days' WHERE key_id = ?::uuid", rsa);
        risk = ok(api.get(BASE + "/risk-assessment"));
        assertThat(risk.get("assessment").get("harvestNowDecryptLater").asBoolean()).isTrue();
        assertThat(risk.get("overallRisk").asString()).isEqualTo("critical");
    }

    @Test
    void complianceFindingsNameExactlyTheOffendingKeys() {
        String rsa = api.createKey("legacy-rsa", "RSA-3072");
        String ec = api.createKey("legacy-ec", "EC-P256");
        String kem = api.createKey("pq-kem", "ML-KEM-768");
        String dsa = api.createKey("pq-dsa", "ML-DSA-65");
        String old = api.createKey("old-aes", "AES-256-GCM");
        byte[] material = new byte[32];
        new SecureRandom().nextBytes(material);
        String imported = ok(api.post("/kms/v1/keys", Map.of("name", "byok", "algorithm", "AES-256-GCM",
                "keyMaterial", Base64.getEncoder().encodeToString(material))), 201).get("keyId").asString();
        jdbc.update("UPDATE kms_key_version SET created_at = now() - interval '400 days' WHERE key_id = ?::uuid", old);

        JsonNode nist = ok(api.get(BASE + "/compliance?framework=NIST"));
        assertThat(nist.get("framework").asString()).isEqualTo("NIST");
        assertThat(nist.get("generatedAt").isNull()).isFalse();
        assertThat(control(nist, "NIST-SP800-131A-1").get("status").asString()).isEqualTo("passed");
        assertThat(control(nist, "NIST-SP800-131A-2").get("status").asString()).isEqualTo("passed");
        JsonNode quantum = control(nist, "NIST-IR8547-1");
        assertThat(quantum.get("status").asString()).isEqualTo("failed");
        assertFindingsName(quantum, Map.of(rsa, "legacy-rsa", ec, "legacy-ec"));
        assertThat(quantum.get("findings").get(0).asString()).contains("ML-KEM-768");
        JsonNode cryptoperiod = control(nist, "NIST-SP800-57-1");
        assertThat(cryptoperiod.get("status").asString()).isEqualTo("failed");
        assertFindingsName(cryptoperiod, Map.of(old, "old-aes"));
        assertThat(nist.get("complianceStatus").asString()).isEqualTo("partial");
        assertThat(nist.get("score").asDouble()).isEqualTo(50.0);

        JsonNode fips = ok(api.get(BASE + "/compliance?framework=fips"));
        assertThat(fips.get("framework").asString()).isEqualTo("FIPS");
        assertThat(control(fips, "FIPS-140-3-ALG-1").get("status").asString()).isEqualTo("passed");
        assertThat(control(fips, "FIPS-140-3-ALG-2").get("status").asString()).isEqualTo("passed");
        assertFindingsName(control(fips, "FIPS-140-3-KEY-1"), Map.of(imported, "byok"));
        JsonNode pqc = control(fips, "FIPS-203-204-1");
        assertThat(pqc.get("status").asString()).isEqualTo("failed");
        assertFindingsName(pqc, Map.of(rsa, "legacy-rsa", ec, "legacy-ec"));
        assertThat(fips.get("score").asDouble()).isEqualTo(50.0);

        JsonNode cnsa = ok(api.get(BASE + "/compliance?framework=CNSA"));
        assertThat(control(cnsa, "CNSA-2.0-1").get("status").asString()).isEqualTo("passed");
        assertFindingsName(control(cnsa, "CNSA-2.0-2"), Map.of(rsa, "legacy-rsa", kem, "pq-kem"));
        assertFindingsName(control(cnsa, "CNSA-2.0-3"), Map.of(ec, "legacy-ec", dsa, "pq-dsa"));

        // migrating the offenders clears the findings
        ok(api.post("/kms/v1/keys/" + rsa + "/rotate", Map.of("algorithm", "ML-KEM-768")));
        ok(api.post("/kms/v1/keys/" + ec + "/rotate", Map.of("algorithm", "ML-DSA-65")));
        ok(api.post("/kms/v1/keys/" + old + "/rotate"));
        nist = ok(api.get(BASE + "/compliance?framework=NIST"));
        assertThat(control(nist, "NIST-IR8547-1").get("findings")).isEmpty();
        assertThat(control(nist, "NIST-SP800-57-1").get("status").asString()).isEqualTo("passed");
        assertThat(nist.get("complianceStatus").asString()).isEqualTo("compliant");
        assertThat(nist.get("score").asDouble()).isEqualTo(100.0);

        // a tenant without keys has nothing any control applies to
        JsonNode empty = ok(KmsApi.of(port, "empty-" + UUID.randomUUID(), "app", KmsScopes.READ)
                .get(BASE + "/compliance?framework=NIST"));
        assertThat(empty.get("controls").valueStream().map(c -> c.get("status").asString()))
                .containsOnly("not_applicable");
        assertThat(empty.get("complianceStatus").asString()).isEqualTo("compliant");
    }

    @Test
    void anUnknownOrMissingFrameworkIsRefusedListingTheKnownOnes() {
        for (String path : List.of(BASE + "/compliance?framework=ISO27001", BASE + "/compliance",
                BASE + "/compliance?framework=")) {
            ResponseEntity<JsonNode> refused = api.get(path);
            assertFieldRefused(refused, "framework");
            assertThat(refused.getBody().get("details").get("knownFrameworks").valueStream().map(JsonNode::asString))
                    .containsExactly("NIST", "FIPS", "CNSA");
            assertThat(refused.getBody().get("message").asString()).contains("NIST, FIPS, CNSA");
        }
    }

    @Test
    void badReportInputIsRefusedNamingTheField() {
        assertFieldRefused(api.get(BASE + "/pqc-adoption?days=0"), "days");
        assertFieldRefused(api.get(BASE + "/pqc-adoption?days=366"), "days");
        assertFieldRefused(api.get(BASE + "/pqc-adoption?days=week"), "days");
    }

    @Test
    void theReportsAndPlansOfAnotherTenantAreInvisible() {
        String rsa = api.createKey("mine", "RSA-3072");
        String planId = createPlan(Map.of("name", "mine", "targetAlgorithms", Map.of("encryption", "ML-KEM-768"),
                "scope", Map.of("keyIds", List.of(rsa))));
        KmsApi other = KmsApi.of(port, "other-" + UUID.randomUUID(), "app-9", KmsApi.ALL_SCOPES);

        for (ResponseEntity<JsonNode> response : List.of(other.get(BASE + "/migration-plans/" + planId),
                other.patch(BASE + "/migration-plans/" + planId, Map.of("status", "active")),
                other.get(BASE + "/migration-plans/not-a-uuid"),
                other.patch(BASE + "/migration-plans/not-a-uuid", Map.of("name", "x")))) {
            assertThat(response.getStatusCode().value()).isEqualTo(404);
            assertThat(response.getBody().get("statusCode").asInt()).isEqualTo(404);
            assertThat(response.getBody().get("error").asString()).isEqualTo("MIGRATION_PLAN_NOT_FOUND");
        }
        assertThat(ok(other.get(BASE + "/migration-plans")).get("plans")).isEmpty();
        assertThat(ok(other.get(BASE + "/pqc-adoption")).get("currentAdoption").get("totalKeys").asLong()).isZero();
        assertThat(row(ok(other.get(BASE + "/algorithm-usage")).get("algorithms"), "algorithm", "RSA-3072")
                .get("keyCount").asLong()).isZero();
        assertThat(ok(other.get(BASE + "/migration-readiness")).get("keyMigrationStatus").get("total").asLong())
                .isZero();
        assertThat(ok(other.get(BASE + "/risk-assessment")).get("overallRisk").asString()).isEqualTo("low");
        assertThat(control(ok(other.get(BASE + "/compliance?framework=NIST")), "NIST-IR8547-1").get("status")
                .asString()).isEqualTo("not_applicable");
        // another tenant's key cannot be put in scope either
        assertFieldRefused(other.post(BASE + "/migration-plans", Map.of("name", "steal", "targetAlgorithms",
                Map.of("encryption", "ML-KEM-768"), "scope", Map.of("keyIds", List.of(rsa)))), "scope.keyIds");
        // the owner's plan is untouched
        assertThat(ok(api.get(BASE + "/migration-plans/" + planId)).get("status").asString()).isEqualTo("draft");
    }

    @Test
    void everyAgilityEndpointNeedsAValidTokenAndItsScope() {
        String planId = createPlan(Map.of("name", "guarded", "targetAlgorithms", Map.of("signing", "ML-DSA-65"),
                "scope", Map.of("keyTypes", List.of("EC-P256"))));
        KmsApi anonymous = KmsApi.withToken(port, null);
        KmsApi expired = KmsApi.withToken(port, TestTokens.forTenant(tenant).scopes(KmsApi.ALL_SCOPES).expired()
                .mint());
        KmsApi user = KmsApi.of(port, tenant, "user", KmsScopes.USE);
        KmsApi reader = KmsApi.of(port, tenant, "reader", KmsScopes.READ);
        Map<String, Object> plan = Map.of("name", "p", "targetAlgorithms", Map.of("signing", "ML-DSA-65"),
                "scope", Map.of("keyTypes", List.of("EC-P256")));
        List<String> reads = List.of("/algorithm-usage", "/migration-readiness", "/pqc-adoption",
                "/compliance?framework=NIST", "/risk-assessment", "/migration-plans", "/migration-plans/" + planId);

        for (KmsApi refused : List.of(anonymous, expired)) {
            for (String read : reads) {
                assertThat(refused.get(BASE + read).getStatusCode().value()).as(read).isEqualTo(401);
            }
            assertThat(refused.post(BASE + "/migration-plans", plan).getStatusCode().value()).isEqualTo(401);
            assertThat(refused.patch(BASE + "/migration-plans/" + planId, Map.of("status", "active"))
                    .getStatusCode().value()).isEqualTo(401);
        }
        for (String read : reads) {
            assertForbidden(user.get(BASE + read), KmsScopes.READ);
        }
        assertForbidden(reader.post(BASE + "/migration-plans", plan), KmsScopes.WRITE);
        assertForbidden(reader.patch(BASE + "/migration-plans/" + planId, Map.of("status", "active")),
                KmsScopes.WRITE);
        // a token without a tenant has no keys and no plans
        KmsApi tenantless = KmsApi.withToken(port, TestTokens.withoutTenant().scopes(KmsApi.ALL_SCOPES).mint());
        assertThat(tenantless.get(BASE + "/algorithm-usage").getStatusCode().value()).isEqualTo(403);
        assertThat(tenantless.post(BASE + "/migration-plans", plan).getStatusCode().value()).isEqualTo(403);
        assertThat(ok(api.get(BASE + "/migration-plans/" + planId)).get("status").asString()).isEqualTo("draft");
    }

    String createPlan(Map<String, Object> body) {
        return ok(api.post(BASE + "/migration-plans", body), 201).get("planId").asString();
    }

    static void assertMigrationStatus(JsonNode readiness, long total, long migrated, long pending, long blocked) {
        JsonNode status = readiness.get("keyMigrationStatus");
        assertThat(status.get("total").asLong()).isEqualTo(total);
        assertThat(status.get("migrated").asLong()).isEqualTo(migrated);
        assertThat(status.get("pendingMigration").asLong()).isEqualTo(pending);
        assertThat(status.get("blocked").asLong()).isEqualTo(blocked);
    }

    static void assertFindingsName(JsonNode control, Map<String, String> keys) {
        assertThat(control.get("status").asString()).isEqualTo("failed");
        assertThat(control.get("findings")).hasSize(keys.size());
        keys.forEach((id, name) -> assertThat(control.get("findings").valueStream().map(JsonNode::asString))
                .as("a finding names %s (%s)", id, name)
                .anyMatch(finding -> finding.contains(id) && finding.contains("(" + name + ")")));
    }

    static JsonNode control(JsonNode report, String controlId) {
        return row(report.get("controls"), "controlId", controlId);
    }

    static JsonNode row(JsonNode rows, String field, String value) {
        return rows.valueStream().filter(row -> row.get(field).asString().equals(value)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + field + " " + value + " in " + rows));
    }
}
