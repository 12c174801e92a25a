package io.qnsp.kms.analytics;

import io.qnsp.kms.KmsApi;
import io.qnsp.kms.KmsScopes;
import io.qnsp.kms.usage.KeyOperation;
import io.qnsp.kms.usage.KeyOperations;
import io.qnsp.kms.usage.OperationType;
import io.qnsp.test.contract.ApiDocumentRules;
import io.qnsp.test.infra.EmbeddedInfrastructure;
import io.qnsp.test.token.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
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
 * Usage analytics over real HTTP: the figures are exactly those of the operations the test performs, in the right
 * buckets; applications come from callers' identities and recorded usage; tenancy, validation and the controls.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@EmbeddedInfrastructure
class UsageAnalyticsIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    KeyOperations operations;

    String tenant;
    KmsApi api;

    @BeforeEach
    void setUp() {
        tenant = "tenant-" + UUID.randomUUID();
        api = KmsApi.of(port, tenant, "app-1", KmsApi.ALL_SCOPES);
    }

    @Test
    void theFiguresAreThoseOfTheOperationsPerformed() {
        String keyId = api.createKey("analysed", "AES-256-GCM");
        String unused = api.createKey("unused", "AES-256-GCM");
        Instant before = Instant.now();
        String ciphertext = null;
        for (int size : new int[]{10, 100, 1000}) {
            ciphertext = ok(api.post("/kms/v1/keys/" + keyId + "/encrypt", Map.of("plaintext", b64(new byte[size]))))
                    .get("ciphertext").asString();
        }
        byte[] tampered = Base64.getDecoder().decode(ciphertext);
        tampered[tampered.length - 1] ^= 1;
        assertThat(api.post("/kms/v1/decrypt", Map.of("ciphertext", b64(tampered))).getStatusCode().value())
                .isEqualTo(400);
        Instant after = Instant.now().plusMillis(1);

        JsonNode usage = ok(api.get("/kms/v1/analytics/usage?granularity=hour"));
        JsonNode summary = usage.get("summary");
        assertThat(summary.get("totalOperations").asLong()).isEqualTo(4);
        assertThat(summary.get("totalBytesProcessed").asLong()).isEqualTo(1110);
        assertThat(summary.get("totalErrors").asLong()).isEqualTo(1);
        assertThat(summary.get("uniqueKeys").asLong()).isEqualTo(1);
        assertThat(usage.get("granularity").asString()).isEqualTo("hour");
        long encrypts = 0;
        long encryptBytes = 0;
        long decrypts = 0;
        long decryptErrors = 0;
        for (JsonNode bucket : usage.get("usage")) {
            Instant timestamp = Instant.parse(bucket.get("timestamp").asString());
            // an hour's bucket starts on the hour, within the test's own hours
            assertThat(timestamp).isEqualTo(timestamp.truncatedTo(ChronoUnit.HOURS))
                    .isBetween(before.truncatedTo(ChronoUnit.HOURS), after);
            assertThat(bucket.get("keyId").asString()).isEqualTo(keyId);
            switch (bucket.get("operation").asString()) {
                case "encrypt" -> {
                    encrypts += bucket.get("count").asLong();
                    encryptBytes += bucket.get("bytesProcessed").asLong();
                    assertThat(bucket.get("errorCount").asLong()).isZero();
                }
                case "decrypt" -> {
                    decrypts += bucket.get("count").asLong();
                    decryptErrors += bucket.get("errorCount").asLong();
                    assertThat(bucket.get("bytesProcessed").asLong()).isZero();
                }
                default -> throw new AssertionError("unexpected operation " + bucket);
            }
        }
        assertThat(List.of(encrypts, encryptBytes, decrypts, decryptErrors)).containsExactly(3L, 1110L, 1L, 1L);

        // filters: one operation type, one key, a period without the operations
        JsonNode onlyDecrypts = ok(api.get("/kms/v1/analytics/usage?operation=decrypt&keyId=" + keyId)).get("summary");
        assertThat(onlyDecrypts.get("totalOperations").asLong()).isEqualTo(1);
        assertThat(onlyDecrypts.get("totalErrors").asLong()).isEqualTo(1);
        JsonNode ofUnused = ok(api.get("/kms/v1/analytics/usage?keyId=" + unused));
        assertThat(ofUnused.get("usage")).isEmpty();
        assertThat(ofUnused.get("summary").get("totalOperations").asLong()).isZero();
        JsonNode earlier = ok(api.get("/kms/v1/analytics/usage?endTime=" + before.minusSeconds(1)));
        assertThat(earlier.get("summary").get("totalOperations").asLong()).isZero();

        // the key's summary
        JsonNode keySummary = ok(api.get("/kms/v1/analytics/keys/" + keyId + "/summary"));
        assertThat(keySummary.get("keyName").asString()).isEqualTo("analysed");
        assertThat(keySummary.get("algorithm").asString()).isEqualTo("AES-256-GCM");
        assertThat(keySummary.get("totalOperations").asLong()).isEqualTo(4);
        assertThat(keySummary.get("totalBytesProcessed").asLong()).isEqualTo(1110);
        assertThat(keySummary.get("errorCount").asLong()).isEqualTo(1);
        assertThat(keySummary.get("operationBreakdown").get("encrypt").asLong()).isEqualTo(3);
        assertThat(keySummary.get("operationBreakdown").get("decrypt").asLong()).isEqualTo(1);
        assertThat(keySummary.get("operationBreakdown").get("sign").asLong()).isZero();
        assertThat(keySummary.get("topApplications")).hasSize(1);
        assertThat(keySummary.get("topApplications").get(0).get("applicationId").asString()).isEqualTo("app-1");
        assertThat(keySummary.get("topApplications").get(0).get("count").asLong()).isEqualTo(4);
        assertThat(Instant.parse(keySummary.get("lastUsedAt").asString())).isBetween(before, after);
        JsonNode unusedSummary = ok(api.get("/kms/v1/analytics/keys/" + unused + "/summary"));
        assertThat(unusedSummary.get("totalOperations").asLong()).isZero();
        assertThat(unusedSummary.get("lastUsedAt").isNull()).isTrue();
        assertThat(unusedSummary.get("topApplications")).isEmpty();
    }

    @Test
    void operationsFallInTheBucketsOfTheirTime() {
        String keyId = api.createKey("bucketed", "AES-256-GCM");
        UUID key = UUID.fromString(keyId);
        // Monday 4 March 2024 10:15 and 10:45, 11:05, Wednesday 6 March 09:00, Monday 11 March 00:00 (UTC)
        List<Instant> times = List.of(Instant.parse("2024-03-04T10:15:00Z"), Instant.parse("2024-03-04T10:45:00Z"),
                Instant.parse("2024-03-04T11:05:00Z"), Instant.parse("2024-03-06T09:00:00Z"),
                Instant.parse("2024-03-11T00:00:00Z"));
        for (Instant time : times) {
            operations.record(new KeyOperation(tenant, key, 1, "AES-256-GCM", "app-1", KeyOperation.SERVICE,
                    OperationType.SIGN, 7, true, time));
        }
        String period = "&startTime=2024-03-01T00:00:00Z&endTime=2024-03-18T00:00:00Z";

        assertThat(buckets("hour" + period)).containsExactly("2024-03-04T10:00:00Z=2", "2024-03-04T11:00:00Z=1",
                "2024-03-06T09:00:00Z=1", "2024-03-11T00:00:00Z=1");
        assertThat(buckets("day" + period)).containsExactly("2024-03-04T00:00:00Z=3", "2024-03-06T00:00:00Z=1",
                "2024-03-11T00:00:00Z=1");
        assertThat(buckets("week" + period)).containsExactly("2024-03-04T00:00:00Z=4", "2024-03-11T00:00:00Z=1");
        // the period is half-open: an operation at endTime is not counted, one at startTime is
        assertThat(buckets("day&startTime=2024-03-04T10:45:00Z&endTime=2024-03-11T00:00:00Z"))
                .containsExactly("2024-03-04T00:00:00Z=2", "2024-03-06T00:00:00Z=1");
        // an offset other than Z is understood
        assertThat(buckets("week&startTime=2024-03-04T10:00:00-01:00&endTime=2024-03-18T00:00:00Z"))
                .containsExactly("2024-03-04T00:00:00Z=2", "2024-03-11T00:00:00Z=1");
        JsonNode week = ok(api.get("/kms/v1/analytics/usage?granularity=week" + period));
        assertThat(week.get("usage").get(0).get("bytesProcessed").asLong()).isEqualTo(28);
        assertThat(week.get("summary").get("totalBytesProcessed").asLong()).isEqualTo(35);
    }

    private List<String> buckets(String query) {
        List<String> buckets = new ArrayList<>();
        for (JsonNode bucket : ok(api.get("/kms/v1/analytics/usage?granularity=" + query)).get("usage")) {
            buckets.add(bucket.get("timestamp").asString() + "=" + bucket.get("count").asLong());
        }
        return buckets;
    }

    @Test
    void applicationsComeFromCallersAndFromRecordedUsage() {
        String keyId = api.createKey("shared", "AES-256-GCM");
        String signing = api.createKey("signing", "EC-P256");
        KmsApi other = KmsApi.of(port, tenant, "app-2", KmsApi.ALL_SCOPES);
        ok(api.post("/kms/v1/keys/" + keyId + "/encrypt", Map.of("plaintext", b64(new byte[5]))));
        ok(other.post("/kms/v1/keys/" + signing + "/sign", Map.of("message", b64(new byte[3]))));
        ok(other.post("/kms/v1/keys/" + keyId + "/encrypt", Map.of("plaintext", b64(new byte[4]))));

        JsonNode recorded = ok(api.post("/kms/v1/analytics/applications/record", Map.of("applicationId", "batch",
                "applicationName", "Nightly batch", "keyId", keyId, "operation", "decrypt",
                "bytesProcessed", 5000)), 201);
        assertThat(recorded.get("recorded").asBoolean()).isTrue();
        Instant recordedAt = Instant.parse(recorded.get("timestamp").asString());

        JsonNode applications = ok(api.get("/kms/v1/analytics/applications")).get("applications");
        assertThat(applications.valueStream().map(a -> a.get("applicationId").asString()))
                .containsExactly("batch", "app-2", "app-1");
        JsonNode batch = applications.get(0);
        assertThat(batch.get("applicationName").asString()).isEqualTo("Nightly batch");
        assertThat(batch.get("keysUsed").asLong()).isEqualTo(1);
        assertThat(batch.get("operationCounts").get("decrypt").asLong()).isEqualTo(1);
        assertThat(batch.get("operationCounts").get("encrypt").asLong()).isZero();
        assertThat(batch.get("bytesProcessed").asLong()).isEqualTo(5000);
        assertThat(Instant.parse(batch.get("lastAccessAt").asString())).isEqualTo(recordedAt);
        JsonNode app2 = applications.get(1);
        assertThat(app2.get("applicationName").asString()).isEqualTo("app-2");
        assertThat(app2.get("keysUsed").asLong()).isEqualTo(2);
        assertThat(app2.get("operationCounts").get("sign").asLong()).isEqualTo(1);
        assertThat(app2.get("operationCounts").get("encrypt").asLong()).isEqualTo(1);
        assertThat(app2.get("bytesProcessed").asLong()).isEqualTo(7);
        assertThat(applications.get(2).get("operationCounts").get("encrypt").asLong()).isEqualTo(1);

        // recorded usage counts in the key's figures like the service's own operations
        JsonNode summary = ok(api.get("/kms/v1/analytics/keys/" + keyId + "/summary"));
        assertThat(summary.get("totalOperations").asLong()).isEqualTo(3);
        assertThat(summary.get("totalBytesProcessed").asLong()).isEqualTo(5009);
        assertThat(summary.get("topApplications").valueStream().map(a -> a.get("applicationId").asString()
                + "=" + a.get("count").asLong())).containsExactly("app-1=1", "app-2=1", "batch=1");
        assertThat(ok(api.get("/kms/v1/analytics/applications?endTime=" + recordedAt)).get("applications")
                .valueStream().map(a -> a.get("applicationId").asString())).containsExactly("app-2", "app-1");
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        String keyId = api.createKey("checked", "AES-256-GCM");
        String usage = "/kms/v1/analytics/usage";
        assertFieldRefused(api.get(usage + "?granularity=minute"), "granularity");
        assertFieldRefused(api.get(usage + "?operation=explode"), "operation");
        assertFieldRefused(api.get(usage + "?keyId=not-a-uuid"), "keyId");
        assertFieldRefused(api.get(usage + "?startTime=yesterday"), "startTime");
        assertFieldRefused(api.get(usage + "?endTime=2024-13-01T00:00:00Z"), "endTime");
        assertFieldRefused(api.get(usage + "?startTime=2024-03-02T00:00:00Z&endTime=2024-03-01T00:00:00Z"),
                "startTime");
        assertFieldRefused(api.get(usage + "?startTime=2020-01-01T00:00:00Z&endTime=2024-01-01T00:00:00Z"),
                "startTime");
        assertFieldRefused(api.get("/kms/v1/analytics/applications?startTime=soon"), "startTime");
        assertFieldRefused(api.get("/kms/v1/analytics/keys/" + keyId + "/summary?endTime=1700000000"), "endTime");

        String record = "/kms/v1/analytics/applications/record";
        assertFieldRefused(api.post(record, Map.of("keyId", keyId, "operation", "encrypt")), "applicationId");
        assertFieldRefused(api.post(record, Map.of("applicationId", "a", "operation", "encrypt")), "keyId");
        assertFieldRefused(api.post(record, Map.of("applicationId", "a", "keyId", "nope", "operation", "encrypt")),
                "keyId");
        assertFieldRefused(api.post(record, Map.of("applicationId", "a", "keyId", keyId)), "operation");
        assertFieldRefused(api.post(record, Map.of("applicationId", "a", "keyId", keyId, "operation", "burn")),
                "operation");
        assertFieldRefused(api.post(record, Map.of("applicationId", "a", "keyId", keyId, "operation", "encrypt",
                "bytesProcessed", -1)), "bytesProcessed");
        assertFieldRefused(api.postJson(record, "{\"applicationId\": \"a\", \"keyId\": \"" + keyId
                + "\", \"operation\": \"encrypt\", \"bytesProcessed\": \"many\"}"), "bytesProcessed");
        assertFieldRefused(api.post(record, Map.of("applicationId", "a".repeat(129), "keyId", keyId,
                "operation", "encrypt")), "applicationId");
        // nothing was recorded by the refused requests
        assertThat(ok(api.get("/kms/v1/analytics/keys/" + keyId + "/summary")).get("totalOperations").asLong())
                .isZero();
    }

    @Test
    void anotherTenantsKeysAndUsageAreNotFoundOrSeen() {
        String keyId = api.createKey("private", "AES-256-GCM");
        ok(api.post("/kms/v1/keys/" + keyId + "/encrypt", Map.of("plaintext", b64(new byte[8]))));
        KmsApi other = KmsApi.of(port, "other-" + UUID.randomUUID(), "intruder", KmsApi.ALL_SCOPES);

        assertStatus(other.get("/kms/v1/analytics/usage?keyId=" + keyId), 404);
        assertStatus(other.get("/kms/v1/analytics/keys/" + keyId + "/summary"), 404);
        assertStatus(other.get("/kms/v1/analytics/keys/not-a-uuid/summary"), 404);
        assertStatus(other.post("/kms/v1/analytics/applications/record", Map.of("applicationId", "x",
                "keyId", keyId, "operation", "encrypt")), 404);
        assertThat(ok(other.get("/kms/v1/analytics/usage")).get("summary").get("totalOperations").asLong()).isZero();
        assertThat(ok(other.get("/kms/v1/analytics/applications")).get("applications")).isEmpty();
        // the owner's figures are untouched
        assertThat(ok(api.get("/kms/v1/analytics/keys/" + keyId + "/summary")).get("totalOperations").asLong())
                .isEqualTo(1);
    }

    @Test
    void everyAnalyticsEndpointNeedsATokenAndItsScope() {
        String keyId = api.createKey("guarded", "AES-256-GCM");
        KmsApi anonymous = KmsApi.withToken(port, null);
        KmsApi user = KmsApi.of(port, tenant, "user", KmsScopes.USE);
        KmsApi reader = KmsApi.of(port, tenant, "reader", KmsScopes.READ);
        Map<String, Object> record = Map.of("applicationId", "a", "keyId", keyId, "operation", "encrypt");

        KmsApi expired = KmsApi.withToken(port, TestTokens.forTenant(tenant).scopes(KmsApi.ALL_SCOPES).expired()
                .mint());
        for (KmsApi refused : List.of(anonymous, expired)) {
            assertStatus(refused.get("/kms/v1/analytics/usage"), 401);
            assertStatus(refused.get("/kms/v1/analytics/applications"), 401);
            assertStatus(refused.get("/kms/v1/analytics/keys/" + keyId + "/summary"), 401);
            assertStatus(refused.post("/kms/v1/analytics/applications/record", record), 401);
        }

        assertForbidden(user.get("/kms/v1/analytics/usage"), KmsScopes.READ);
        assertForbidden(user.get("/kms/v1/analytics/applications"), KmsScopes.READ);
        assertForbidden(user.get("/kms/v1/analytics/keys/" + keyId + "/summary"), KmsScopes.READ);
        assertForbidden(reader.post("/kms/v1/analytics/applications/record", record), KmsScopes.WRITE);
        assertThat(ok(api.get("/kms/v1/analytics/keys/" + keyId + "/summary")).get("totalOperations").asLong())
                .isZero();
    }

    @Test
    void theDocumentKeepsTheRulesAndDescribesTheAnalyticsOperations() {
        ResponseEntity<JsonNode> docs = KmsApi.withToken(port, null).get("/v3/api-docs");
        JsonNode document = ok(docs);
        assertThat(ApiDocumentRules.violations(document.toString())).isEmpty();
        JsonNode paths = document.get("paths");
        for (String path : List.of("/kms/v1/analytics/usage", "/kms/v1/analytics/applications",
                "/kms/v1/analytics/keys/{keyId}/summary", "/kms/v1/analytics/applications/record",
                "/kms/v1/analytics/alerts", "/kms/v1/analytics/alerts/{alertId}/acknowledge",
                "/kms/v1/analytics/alert-rules", "/kms/v1/analytics/alert-rules/{ruleId}")) {
            assertThat(paths.has(path)).as(path).isTrue();
            paths.get(path).properties().forEach(operation -> {
                JsonNode responses = operation.getValue().get("responses");
                assertThat(responses.has("400")).as(path).isTrue();
                assertThat(responses.has("401")).as(path).isTrue();
                assertThat(responses.has("403")).as(path).isTrue();
            });
        }
        assertThat(paths.get("/kms/v1/analytics/alerts/{alertId}/acknowledge").get("post").get("responses")
                .has("409")).isTrue();
    }
}
