package io.qnsp.storage.replication;

import io.qnsp.storage.StorageApi;
import io.qnsp.storage.StorageIntegrationTest;
import io.qnsp.storage.content.Volume;
import io.qnsp.storage.content.Volumes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replication over HTTP: copies in the other regions' volumes are byte-identical (the encrypted file, or the
 * decrypted content when asked), deletions follow, a copy that fails is shown and retried until it succeeds, and
 * status and health are measured from the copies.
 */
@StorageIntegrationTest
class ReplicationIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    Volumes volumes;

    @Autowired
    ReplicationWorker worker;

    StorageApi api;

    @BeforeEach
    void setUp() {
        api = StorageApi.newTenant(port);
        api.createBucket("assets");
    }

    @Test
    void aReplicatedObjectIsByteIdenticalInTheOtherRegionsVolume() throws IOException {
        String before = api.putText("assets", "img/logo.svg", "<svg>existing before the configuration</svg>");
        JsonNode created = expect(api.post("/storage/v1/replication/configurations", body("name", "to-eu",
                "sourceRegion", "us-east-1", "destinationRegions", List.of("eu-west-1"),
                "scope", body("buckets", List.of("assets"), "prefixes", List.of("img/")),
                "replicationMode", "async", "encryptionAtRest", true)), 201);
        assertThat(created.get("status").asString()).isEqualTo("active");
        byte[] content = new byte[300_000];
        new java.util.Random(3).nextBytes(content);
        String after = objectId(api.put("assets", "img/photo.png", content, "image/png"));
        api.putText("assets", "docs/readme.txt", "outside the scope");

        awaitNothingPending();

        for (String objectId : List.of(before, after)) {
            Path home = homeFile("img/" + (objectId.equals(before) ? "logo.svg" : "photo.png"));
            Path replica = volume("eu-west-1").contentFile(UUID.fromString(objectId), version(home), true);
            assertThat(replica).exists();
            assertThat(Files.readAllBytes(replica)).isEqualTo(Files.readAllBytes(home));
        }
        JsonNode metadata = expect(api.metadata("assets", "img/photo.png"), 200);
        assertThat(metadata.get("replicas").get(0).get("region").asString()).isEqualTo("eu-west-1");
        assertThat(metadata.get("replicas").get(0).get("current").asBoolean()).isTrue();
        assertThat(expect(api.metadata("assets", "docs/readme.txt"), 200).get("replicas")).isEmpty();

        JsonNode status = expect(api.get("/storage/v1/replication/status"), 200).get("configurations").get(0);
        assertThat(status.get("status").asString()).as(status.toString() + expect(api.get(
                "/storage/v1/replication/health"), 200)).isEqualTo("healthy");
        assertThat(status.get("pendingObjects").asLong()).isZero();
        assertThat(status.get("lagSeconds").asDouble()).isZero();
        JsonNode health = expect(api.get("/storage/v1/replication/health"), 200);
        assertThat(health.get("overallHealth").asString()).isEqualTo("healthy");
        assertThat(health.get("regions").get(0).get("region").asString()).isEqualTo("eu-west-1");
        assertThat(health.get("regions").get(0).get("latencyMs").asDouble()).isGreaterThanOrEqualTo(0);
        assertThat(health.get("regions").get(0).get("lastSyncAt").asString()).isNotBlank();

        // a deletion follows the object to the other region
        assertThat(api.deleteObject("assets", "img/photo.png").getStatusCode().value()).isEqualTo(204);
        awaitNothingPending();
        assertThat(volume("eu-west-1").objectDirectory(UUID.fromString(after), true)).doesNotExist();
    }

    @Test
    void withoutEncryptionAtRestTheReplicaIsTheContentAndSyncModeCopiesBeforeAnswering() throws IOException {
        expect(api.post("/storage/v1/replication/configurations", body("name", "plain-ap",
                "sourceRegion", "us-east-1", "destinationRegions", List.of("ap-south-1"),
                "replicationMode", "sync", "encryptionAtRest", false)), 201);

        String objectId = api.putText("assets", "report.txt", "quarterly numbers");

        // no worker ran: the upload made the copy before it answered
        JsonNode metadata = expect(api.metadata("assets", "report.txt"), 200);
        Path replica = volume("ap-south-1").contentFile(UUID.fromString(objectId),
                UUID.fromString(metadata.get("versionId").asString()), false);
        assertThat(Files.readString(replica, StandardCharsets.UTF_8)).isEqualTo("quarterly numbers");
        // an overwrite replaces the copy
        api.putText("assets", "report.txt", "revised numbers");
        JsonNode revised = expect(api.metadata("assets", "report.txt"), 200);
        assertThat(Files.readString(volume("ap-south-1").contentFile(UUID.fromString(objectId),
                UUID.fromString(revised.get("versionId").asString()), false))).isEqualTo("revised numbers");
        assertThat(replica).doesNotExist();
    }

    @Test
    void aCopyThatFailsIsShownAndRetriedUntilItSucceeds() throws IOException {
        Volume eu = volume("eu-west-1");
        Path parked = eu.root().resolveSibling("eu-parked-" + UUID.randomUUID());
        Files.createDirectories(eu.root());
        Files.move(eu.root(), parked);
        Files.writeString(eu.root(), "not a directory");
        String objectId;
        try {
            expect(api.post("/storage/v1/replication/configurations", body("name", "flaky",
                    "sourceRegion", "us-east-1", "destinationRegions", List.of("eu-west-1"))), 201);
            objectId = api.putText("assets", "x.bin", "payload");
            worker.run();

            JsonNode status = expect(api.get("/storage/v1/replication/status"), 200).get("configurations").get(0);
            assertThat(status.get("status").asString()).isEqualTo("error");
            assertThat(status.get("pendingObjects").asLong()).isEqualTo(1);
            assertThat(status.get("failingObjects").asLong()).isEqualTo(1);
            assertThat(status.get("failures").get(0).get("objectId").asString()).isEqualTo(objectId);
            assertThat(status.get("failures").get(0).get("attempts").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(status.get("failures").get(0).get("lastError").asString()).isNotBlank();
            JsonNode health = expect(api.get("/storage/v1/replication/health"), 200);
            assertThat(health.get("overallHealth").asString()).isEqualTo("critical");
            assertThat(health.get("regions").get(0).get("status").asString()).isEqualTo("unavailable");
            assertThat(expect(api.metadata("assets", "x.bin"), 200).get("pendingCopies").get(0).get("attempts")
                    .asInt()).isGreaterThanOrEqualTo(1);
        } finally {
            Files.delete(eu.root());
            Files.move(parked, eu.root());
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            worker.run();
            JsonNode status = expect(api.get("/storage/v1/replication/status"), 200).get("configurations").get(0);
            assertThat(status.get("status").asString()).isEqualTo("healthy");
            assertThat(status.get("pendingObjects").asLong()).isZero();
        });
        Path home = homeFile("x.bin");
        assertThat(Files.readAllBytes(eu.contentFile(UUID.fromString(objectId), version(home), true)))
                .isEqualTo(Files.readAllBytes(home));
        assertThat(expect(api.get("/storage/v1/replication/health"), 200).get("overallHealth").asString())
                .isEqualTo("healthy");
    }

    @Test
    void configurationsAreRefusedForRegionsThatAreNotConfigured() {
        assertField(api.post("/storage/v1/replication/configurations", body("name", "x",
                "sourceRegion", "eu-west-1", "destinationRegions", List.of("ap-south-1"))), "sourceRegion");
        assertField(api.post("/storage/v1/replication/configurations", body("name", "x",
                "sourceRegion", "us-east-1", "destinationRegions", List.of("mars-1"))), "destinationRegions[0]");
        assertField(api.post("/storage/v1/replication/configurations", body("name", "x",
                "sourceRegion", "us-east-1", "destinationRegions", List.of())), "destinationRegions");
        assertField(api.post("/storage/v1/replication/configurations", body("name", "x",
                "sourceRegion", "us-east-1", "destinationRegions", List.of("eu-west-1"), "replicationMode", "eventual")),
                "replicationMode");
        expect(api.post("/storage/v1/replication/configurations", body("name", "x",
                "sourceRegion", "us-east-1", "destinationRegions", List.of("eu-west-1"))), 201);
        assertThat(api.post("/storage/v1/replication/configurations", body("name", "x",
                "sourceRegion", "us-east-1", "destinationRegions", List.of("eu-west-1"))).getStatusCode().value())
                .isEqualTo(409);
        assertThat(expect(api.get("/storage/v1/replication/configurations"), 200).get("configurations"))
                .hasSize(1);
        assertThat(expect(StorageApi.newTenant(port).get("/storage/v1/replication/status"), 200)
                .get("configurations")).isEmpty();
    }

    private void awaitNothingPending() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            worker.run();
            for (JsonNode config : expect(api.get("/storage/v1/replication/status"), 200).get("configurations")) {
                assertThat(config.get("pendingObjects").asLong()).isZero();
            }
        });
    }

    private Path homeFile(String key) {
        JsonNode metadata = expect(api.metadata("assets", key), 200);
        return volumes.home().contentFile(UUID.fromString(metadata.get("objectId").asString()),
                UUID.fromString(metadata.get("versionId").asString()), true);
    }

    private static UUID version(Path contentFile) {
        return UUID.fromString(contentFile.getFileName().toString());
    }

    private Volume volume(String region) {
        return volumes.replica(region).orElseThrow();
    }

    private static String objectId(ResponseEntity<JsonNode> put) {
        return expect(put, 201).get("objectId").asString();
    }

    private static void assertField(ResponseEntity<JsonNode> response, String field) {
        assertThat(response.getStatusCode().value()).as(String.valueOf(response.getBody())).isEqualTo(400);
        assertThat(response.getBody().get("details").get("field").asString()).isEqualTo(field);
    }
}
