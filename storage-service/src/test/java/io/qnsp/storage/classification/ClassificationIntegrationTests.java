package io.qnsp.storage.classification;

import io.qnsp.storage.StorageApi;
import io.qnsp.storage.StorageIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Classification over HTTP: policies with built-in detectors and custom patterns, scans that label objects by
 * what their content holds (a card number only when it passes Luhn), progress, auto-applied policies, and statistics
 * counted from the labels.
 */
@StorageIntegrationTest
class ClassificationIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    ScanWorker worker;

    StorageApi api;

    @BeforeEach
    void setUp() {
        api = StorageApi.newTenant(port);
        api.createBucket("data");
    }

    @Test
    void aCardNumberThatPassesLuhnIsLabelledAndOneThatFailsIsNot() {
        String valid = api.putText("data", "orders/valid.txt", "customer paid with 4111 1111 1111 1111 yesterday");
        String invalid = api.putText("data", "orders/invalid.txt", "customer paid with 4111 1111 1111 1112 yesterday");
        String policy = createPolicy("pci", List.of(body("detector", "credit_card", "classification", "restricted")),
                false);

        JsonNode queued = expect(api.post("/storage/v1/classification/scans",
                body("scope", body("buckets", List.of("data"), "prefixes", List.of("orders/")),
                        "policyIds", List.of(policy))), 202);
        assertThat(queued.get("status").asString()).isEqualTo("queued");
        assertThat(Instant.parse(queued.get("estimatedCompletionAt").asString())).isAfterOrEqualTo(
                Instant.now().minusSeconds(60));
        String scanId = queued.get("scanId").asString();
        awaitCompleted(scanId);

        JsonNode labelledValid = expect(api.metadata("data", "orders/valid.txt"), 200);
        assertThat(labelledValid.get("objectId").asString()).isEqualTo(valid);
        assertThat(labelledValid.get("classification").asString()).isEqualTo("restricted");
        assertThat(labelledValid.get("labels").get(0).get("dataTypes")).extracting(JsonNode::asString)
                .containsExactly("pci");
        assertThat(labelledValid.get("labels").get(0).get("findings").get(0).asInt()).isEqualTo(1);
        JsonNode labelledInvalid = expect(api.metadata("data", "orders/invalid.txt"), 200);
        assertThat(labelledInvalid.get("objectId").asString()).isEqualTo(invalid);
        assertThat(labelledInvalid.get("classification").isNull()).isTrue();
        assertThat(labelledInvalid.get("labels").get(0).get("findings").get(0).asInt()).isZero();

        JsonNode scan = expect(api.get("/storage/v1/classification/scans/" + scanId), 200);
        assertThat(scan.get("objectsTotal").asInt()).isEqualTo(2);
        assertThat(scan.get("objectsScanned").asInt()).isEqualTo(2);
        assertThat(scan.get("objectsLabelled").asInt()).isEqualTo(1);
        assertThat(scan.get("progressPercent").asInt()).isEqualTo(100);
        assertThat(scan.get("bytesScanned").asLong()).isEqualTo(2 * 48);

        JsonNode stats = expect(api.get("/storage/v1/classification/stats"), 200);
        assertThat(stats.get("totalObjects").asLong()).isEqualTo(2);
        assertThat(stats.get("classifiedObjects").asLong()).isEqualTo(1);
        assertThat(stats.get("byClassification").get("restricted").asLong()).isEqualTo(1);
        assertThat(stats.get("byClassification").get("public").asLong()).isZero();
        assertThat(stats.get("byDataType").get("pci").asLong()).isEqualTo(1);
        assertThat(stats.get("byDataType").get("pii").asLong()).isZero();
    }

    @Test
    void anObjectGetsTheHighestClassificationOfItsMatchingRulesAndEveryDataType() {
        api.putText("data", "hr/record.txt", "Patient Jane (jane@example.com), SSN 123-45-6789, "
                + "IBAN DE89 3704 0044 0532 0130 00, project PRJ-0042");
        api.putText("data", "hr/plain.txt", "nothing to see here");
        createPolicy("everything", List.of(
                body("detector", "email", "classification", "internal"),
                body("detector", "national_id", "classification", "confidential"),
                body("detector", "iban", "classification", "confidential"),
                body("detector", "phi_keywords", "classification", "restricted"),
                body("pattern", "PRJ-\\d{4}", "classification", "internal", "dataTypes", List.of("custom"))), false);

        String scanId = expect(api.post("/storage/v1/classification/scans", body()), 202).get("scanId").asString();
        awaitCompleted(scanId);

        JsonNode record = expect(api.metadata("data", "hr/record.txt"), 200);
        assertThat(record.get("classification").asString()).isEqualTo("restricted");
        assertThat(record.get("labels").get(0).get("dataTypes")).extracting(JsonNode::asString)
                .containsExactlyInAnyOrder("pii", "phi", "custom");
        assertThat(record.get("labels").get(0).get("findings")).extracting(JsonNode::asInt)
                .containsExactly(1, 1, 1, 1, 1);
        JsonNode stats = expect(api.get("/storage/v1/classification/stats"), 200);
        assertThat(stats.get("classifiedObjects").asLong()).isEqualTo(1);
        assertThat(stats.get("byDataType").get("phi").asLong()).isEqualTo(1);
        assertThat(stats.get("byDataType").get("custom").asLong()).isEqualTo(1);
    }

    @Test
    void anAutoAppliedPolicyScansEveryNewUploadAndAnOverwriteReplacesTheLabel() {
        createPolicy("auto", List.of(body("detector", "email", "classification", "confidential")), true);

        api.putText("data", "inbox/mail.txt", "from bob@example.org");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                expect(api.metadata("data", "inbox/mail.txt"), 200).get("classification").asString())
                .isEqualTo("confidential"));

        api.putText("data", "inbox/mail.txt", "no address any more");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode metadata = expect(api.metadata("data", "inbox/mail.txt"), 200);
            assertThat(metadata.get("labels")).hasSize(1);
            assertThat(metadata.get("classification").isNull()).isTrue();
        });
        assertThat(expect(api.get("/storage/v1/classification/stats"), 200).get("classifiedObjects").asLong())
                .isZero();
    }

    @Test
    void policiesAreListedWithTheirRuleCounts() {
        createPolicy("one", List.of(body("detector", "email", "classification", "internal"),
                body("pattern", "x{3}", "classification", "public")), true);

        JsonNode policies = expect(api.get("/storage/v1/classification/policies"), 200).get("policies");
        assertThat(policies).hasSize(1);
        assertThat(policies.get(0).get("name").asString()).isEqualTo("one");
        assertThat(policies.get(0).get("ruleCount").asInt()).isEqualTo(2);
        assertThat(policies.get(0).get("autoApply").asBoolean()).isTrue();
        assertThat(api.post("/storage/v1/classification/policies", body("name", "one", "rules",
                List.of(body("detector", "email", "classification", "internal")))).getStatusCode().value())
                .isEqualTo(409);
    }

    @Test
    void badPoliciesAndScansAreRefusedNamingTheField() {
        assertField(api.post("/storage/v1/classification/policies", body("name", "bad", "rules",
                List.of(body("pattern", "(a)\\1", "classification", "public")))), "rules[0].pattern");
        assertField(api.post("/storage/v1/classification/policies", body("name", "bad", "rules",
                List.of(body("pattern", "a*", "classification", "public")))), "rules[0].pattern");
        assertField(api.post("/storage/v1/classification/policies", body("name", "bad", "rules",
                List.of(body("detector", "dna", "classification", "public")))), "rules[0].detector");
        assertField(api.post("/storage/v1/classification/policies", body("name", "bad", "rules",
                List.of(body("detector", "email", "classification", "secret")))), "rules[0].classification");
        assertField(api.post("/storage/v1/classification/policies", body("name", "bad", "rules",
                List.of(body("detector", "email", "classification", "public", "dataTypes", List.of("pii", "x"))))),
                "rules[0].dataTypes[1]");
        assertField(api.post("/storage/v1/classification/policies", body("name", "bad", "rules", List.of())),
                "rules");
        assertField(api.postJson("/storage/v1/classification/policies", "{\"name\": 5, \"rules\": \"no\"}"),
                "rules");
        assertField(api.post("/storage/v1/classification/scans", body("policyIds", List.of("not-a-uuid"))),
                "policyIds[0]");
        assertField(api.post("/storage/v1/classification/scans", body("scope", body("buckets", List.of("nope")))),
                "scope.buckets[0]");
        assertThat(api.get("/storage/v1/classification/scans/not-a-uuid").getStatusCode().value()).isEqualTo(404);
        assertThat(api.get("/storage/v1/classification/scans/" + java.util.UUID.randomUUID()).getStatusCode()
                .value()).isEqualTo(404);
    }

    @Test
    void aPathologicalPatternDoesNotHoldUpTheScan() {
        api.putText("data", "big/aaa.txt", "a".repeat(300_000) + "!");
        createPolicy("evil", List.of(body("pattern", "(a+)+$", "classification", "public")), false);

        String scanId = expect(api.post("/storage/v1/classification/scans", body()), 202).get("scanId").asString();
        awaitCompleted(scanId);

        assertThat(expect(api.metadata("data", "big/aaa.txt"), 200).get("labels").get(0).get("findings").get(0)
                .asInt()).isZero();
    }

    private void awaitCompleted(String scanId) {
        worker.drain();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                expect(api.get("/storage/v1/classification/scans/" + scanId), 200).get("status").asString())
                .isEqualTo("completed"));
    }

    private String createPolicy(String name, List<Map<String, Object>> rules, boolean autoApply) {
        return expect(api.post("/storage/v1/classification/policies", body("name", name, "description", "test",
                "rules", rules, "autoApply", autoApply)), 201).get("policyId").asString();
    }

    private static void assertField(ResponseEntity<JsonNode> response, String field) {
        assertThat(response.getStatusCode().value()).as(String.valueOf(response.getBody())).isEqualTo(400);
        assertThat(response.getBody().get("details").get("field").asString()).isEqualTo(field);
    }
}
