package io.qnsp.storage.retention;

import io.qnsp.storage.StorageApi;
import io.qnsp.storage.StorageIntegrationTest;
import io.qnsp.storage.StorageScopes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Legal holds and retention policies over HTTP: a held object is neither deleted nor overwritten (409) until its
 * hold is released with a reason; objects within a retention period stay put, and once it ends their policy's
 * action is applied once.
 */
@StorageIntegrationTest
class RetentionIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    RetentionSweeper sweeper;

    @Autowired
    JdbcTemplate jdbc;

    StorageApi api;

    @BeforeEach
    void setUp() {
        api = StorageApi.newTenant(port);
        api.createBucket("evidence");
    }

    @Test
    void aHeldObjectCannotBeDeletedOrOverwrittenUntilTheHoldIsReleasedWithAReason() {
        String objectId = api.putText("evidence", "mail/1.eml", "the memo");
        api.putText("evidence", "mail/2.eml", "not held");

        JsonNode hold = expect(api.post("/storage/v1/retention/holds", body("name", "case-42",
                "reason", "litigation hold for case 42", "scope", body("objectIds", List.of(objectId)))), 201);
        assertThat(hold.get("objectsHeld").asLong()).isEqualTo(1);
        String holdId = hold.get("holdId").asString();

        ResponseEntity<JsonNode> delete = api.deleteObject("evidence", "mail/1.eml");
        assertThat(delete.getStatusCode().value()).isEqualTo(409);
        assertThat(delete.getBody().get("details").get("holdIds").get(0).asString()).isEqualTo(holdId);
        assertThat(api.put("evidence", "mail/1.eml", "changed".getBytes(StandardCharsets.UTF_8), "text/plain")
                .getStatusCode().value()).isEqualTo(409);
        assertThat(new String(api.download("evidence", "mail/1.eml").getBody(), StandardCharsets.UTF_8))
                .isEqualTo("the memo");
        assertThat(expect(api.metadata("evidence", "mail/1.eml"), 200).get("legalHolds").get(0).asString())
                .isEqualTo(holdId);
        // the other object is free
        assertThat(api.deleteObject("evidence", "mail/2.eml").getStatusCode().value()).isEqualTo(204);

        assertThat(api.post("/storage/v1/retention/holds/" + holdId + "/release").getBody().get("details")
                .get("field").asString()).isEqualTo("reason");
        JsonNode released = expect(api.post("/storage/v1/retention/holds/" + holdId + "/release",
                body("reason", "case settled")), 200);
        assertThat(released.get("holdId").asString()).isEqualTo(holdId);
        assertThat(released.get("objectsReleased").asLong()).isEqualTo(1);
        assertThat(released.get("releasedAt").asString()).isNotBlank();

        assertThat(api.deleteObject("evidence", "mail/1.eml").getStatusCode().value()).isEqualTo(204);
        JsonNode kept = expect(api.get("/storage/v1/retention/holds/" + holdId), 200);
        assertThat(kept.get("active").asBoolean()).isFalse();
        assertThat(kept.get("releaseReason").asString()).isEqualTo("case settled");
        assertThat(kept.get("releasedBy").asString()).isEqualTo("user-1");
        assertThat(api.post("/storage/v1/retention/holds/" + holdId + "/release", body("reason", "again"))
                .getStatusCode().value()).isEqualTo(409);
        // the release is in the audit trail with its reason, and so are the two refused ones
        assertThat(jdbc.queryForObject("SELECT count(*) FROM qnsp_event_outbox WHERE payload::text LIKE ? "
                + "AND payload::text LIKE ? AND payload::text LIKE '%\"outcome\":\"success\"%' "
                + "AND payload::text LIKE '%\"reason\":\"case settled\"%'", Integer.class,
                "%storage.legal_hold.released%", "%" + holdId + "%")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM qnsp_event_outbox WHERE payload::text LIKE ? "
                + "AND payload::text LIKE ? AND payload::text LIKE '%\"outcome\":\"failure\"%'", Integer.class,
                "%storage.legal_hold.released%", "%" + holdId + "%")).isEqualTo(2);
    }

    @Test
    void aBucketHoldCoversObjectsWrittenLaterAndLapsesOnlyWhenReleased() {
        api.putText("evidence", "a.txt", "a");
        JsonNode hold = expect(api.post("/storage/v1/retention/holds", body("name", "bucket hold",
                "reason", "audit", "scope", body("buckets", List.of("evidence")),
                "expiresAt", Instant.now().plus(Duration.ofDays(30)).toString())), 201);
        assertThat(hold.get("objectsHeld").asLong()).isEqualTo(1);

        api.putText("evidence", "b.txt", "b");
        assertThat(api.deleteObject("evidence", "b.txt").getStatusCode().value()).isEqualTo(409);
        JsonNode listed = expect(api.get("/storage/v1/retention/holds"), 200).get("holds").get(0);
        assertThat(listed.get("objectsCovered").asLong()).isEqualTo(2);
        assertThat(listed.get("active").asBoolean()).isTrue();

        expect(api.post("/storage/v1/retention/holds/" + hold.get("holdId").asString() + "/release",
                body("reason", "done")), 200);
        assertThat(api.deleteObject("evidence", "b.txt").getStatusCode().value()).isEqualTo(204);
    }

    @Test
    void holdsAreRefusedForWhatTheTenantDoesNotHaveAndReleasedOnlyByTheirTenant() {
        assertField(api.post("/storage/v1/retention/holds", body("name", "x", "reason", "y",
                "scope", body("objectIds", List.of(UUID.randomUUID().toString())))), "scope.objectIds[0]");
        assertField(api.post("/storage/v1/retention/holds", body("name", "x", "reason", "y",
                "scope", body("buckets", List.of("missing")))), "scope.buckets[0]");
        assertField(api.post("/storage/v1/retention/holds", body("name", "x", "reason", "y")), "scope");
        assertField(api.post("/storage/v1/retention/holds", body("name", "x", "scope",
                body("buckets", List.of("evidence")))), "reason");
        assertField(api.post("/storage/v1/retention/holds", body("name", "x", "reason", "y", "scope",
                body("buckets", List.of("evidence")), "expiresAt", "yesterday")), "expiresAt");

        String holdId = expect(api.post("/storage/v1/retention/holds", body("name", "x", "reason", "y",
                "scope", body("buckets", List.of("evidence")))), 201).get("holdId").asString();
        StorageApi other = StorageApi.newTenant(port);
        assertThat(other.post("/storage/v1/retention/holds/" + holdId + "/release", body("reason", "mine now"))
                .getStatusCode().value()).isEqualTo(404);
        assertThat(api.post("/storage/v1/retention/holds/not-an-id/release", body("reason", "r"))
                .getStatusCode().value()).isEqualTo(404);
        StorageApi governor = StorageApi.withScopes(port, api.tenant(), StorageScopes.GOVERN, StorageScopes.READ);
        assertThat(governor.post("/storage/v1/retention/holds/" + holdId + "/release", body("reason", "r"))
                .getStatusCode().value()).isEqualTo(403);
    }

    @Test
    void anObjectWithinItsRetentionPeriodStaysPut() {
        api.putText("evidence", "ledger.csv", "1,2,3");
        String policyId = expect(api.post("/storage/v1/retention/policies", body("name", "seven years",
                "retentionPeriod", "P7Y", "scope", body("buckets", List.of("evidence")),
                "actions", body("onExpiry", "delete"))), 201).get("policyId").asString();

        ResponseEntity<JsonNode> refused = api.deleteObject("evidence", "ledger.csv");
        assertThat(refused.getStatusCode().value()).isEqualTo(409);
        assertThat(refused.getBody().get("details").get("policyId").asString()).isEqualTo(policyId);
        assertThat(Instant.parse(refused.getBody().get("details").get("retainUntil").asString()))
                .isAfter(Instant.now().plus(Duration.ofDays(365 * 6)));
        assertThat(api.put("evidence", "ledger.csv", new byte[]{1}, "text/plain").getStatusCode().value())
                .isEqualTo(409);
        JsonNode retention = expect(api.metadata("evidence", "ledger.csv"), 200).get("retention");
        assertThat(retention.get("retained").asBoolean()).isTrue();
        assertThat(retention.get("onExpiry").asString()).isEqualTo("delete");
        // a policy for another bucket does not apply
        api.createBucket("scratch");
        api.putText("scratch", "tmp.txt", "x");
        assertThat(api.deleteObject("scratch", "tmp.txt").getStatusCode().value()).isEqualTo(204);

        JsonNode policies = expect(api.get("/storage/v1/retention/policies"), 200).get("policies");
        assertThat(policies.get(0).get("retentionPeriod").asString()).isEqualTo("P7Y");
    }

    @Test
    void whenThePeriodEndsTheActionIsAppliedOnce() {
        api.createBucket("archive-me");
        api.createBucket("delete-me");
        api.createBucket("notify-me");
        String archived = api.putText("archive-me", "a.txt", "a");
        api.putText("delete-me", "d.txt", "d");
        String notified = api.putText("notify-me", "n.txt", "n");
        for (String action : new String[]{"archive", "delete", "notify"}) {
            expect(api.post("/storage/v1/retention/policies", body("name", action, "retentionPeriod", "PT1S",
                    "scope", body("buckets", List.of(action + "-me")), "actions", body("onExpiry", action))), 201);
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            sweeper.sweep();
            assertThat(api.download("delete-me", "d.txt").getStatusCode().value()).isEqualTo(404);
            assertThat(expect(api.metadata("archive-me", "a.txt"), 200).get("storageClass").asString())
                    .isEqualTo("archive");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM qnsp_event_outbox WHERE payload::text LIKE "
                    + "'%storage.retention.expired%' AND payload::text LIKE ?", Integer.class, "%" + notified + "%"))
                    .isEqualTo(1);
        });
        assertThat(api.put("archive-me", "a.txt", new byte[]{2}, "text/plain").getBody().get("details")
                .get("storageClass").asString()).isEqualTo("archive");
        assertThat(new String(api.download("archive-me", "a.txt").getBody(), StandardCharsets.UTF_8)).isEqualTo("a");
        // applied once: another sweep finds nothing left for these objects
        sweeper.sweep();
        for (String objectId : List.of(archived, notified)) {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM qnsp_event_outbox WHERE payload::text LIKE "
                    + "'%storage.retention.expired%' AND payload::text LIKE ?", Integer.class, "%" + objectId + "%"))
                    .isEqualTo(1);
        }
    }

    @Test
    void badRetentionPoliciesAreRefusedNamingTheField() {
        assertField(api.post("/storage/v1/retention/policies", body("name", "x", "retentionPeriod", "30 days",
                "actions", body("onExpiry", "delete"))), "retentionPeriod");
        assertField(api.post("/storage/v1/retention/policies", body("name", "x", "retentionPeriod", "P0D",
                "actions", body("onExpiry", "delete"))), "retentionPeriod");
        assertField(api.post("/storage/v1/retention/policies", body("name", "x", "retentionPeriod", "P1D",
                "actions", body("onExpiry", "shred"))), "actions.onExpiry");
        assertField(api.post("/storage/v1/retention/policies", body("name", "x", "retentionPeriod", "P1D",
                "scope", body("classifications", List.of("top-secret")), "actions", body("onExpiry", "notify"))),
                "scope.classifications[0]");
        expect(api.post("/storage/v1/retention/policies", body("name", "x", "retentionPeriod", "P1D",
                "actions", body("onExpiry", "notify"))), 201);
        assertThat(api.post("/storage/v1/retention/policies", body("name", "x", "retentionPeriod", "P1D",
                "actions", body("onExpiry", "notify"))).getStatusCode().value()).isEqualTo(409);
    }

    private static void assertField(ResponseEntity<JsonNode> response, String field) {
        assertThat(response.getStatusCode().value()).as(String.valueOf(response.getBody())).isEqualTo(400);
        assertThat(response.getBody().get("details").get("field").asString()).isEqualTo(field);
    }
}
