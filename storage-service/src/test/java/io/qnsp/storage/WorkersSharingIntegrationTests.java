package io.qnsp.storage;

import io.qnsp.storage.classification.ScanWorker;
import io.qnsp.storage.replication.ReplicationWorker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.qnsp.test.http.ServiceApi.body;
import static io.qnsp.test.http.ServiceApi.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workers of several instances racing for the same queues (here: threads calling the workers at once, besides the
 * scheduled ones) make each copy once and scan each object once.
 */
@StorageIntegrationTest
class WorkersSharingIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    ReplicationWorker replication;

    @Autowired
    ScanWorker scans;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void racingWorkersCopyEachObjectOnceAndScanEachObjectOnce() throws Exception {
        StorageApi api = StorageApi.newTenant(port);
        api.createBucket("race");
        for (int i = 0; i < 30; i++) {
            api.putText("race", "o" + i, "object " + i + " mail" + i + "@example.com");
        }
        expect(api.post("/storage/v1/replication/configurations", body("name", "race", "sourceRegion", "us-east-1",
                "destinationRegions", List.of("eu-west-1", "ap-south-1"))), 201);
        expect(api.post("/storage/v1/classification/policies", body("name", "mail", "rules",
                List.of(body("detector", "email", "classification", "internal")))), 201);
        String scanA = expect(api.post("/storage/v1/classification/scans", body()), 202).get("scanId").asString();
        String scanB = expect(api.post("/storage/v1/classification/scans", body()), 202).get("scanId").asString();

        race(() -> {
            replication.run();
            scans.drain();
        });

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode status = expect(api.get("/storage/v1/replication/status"), 200).get("configurations").get(0);
            assertThat(status.get("pendingObjects").asLong()).isZero();
            for (String scan : List.of(scanA, scanB)) {
                assertThat(expect(api.get("/storage/v1/classification/scans/" + scan), 200).get("status")
                        .asString()).isEqualTo("completed");
            }
        });
        assertThat(jdbc.queryForList("SELECT attempts FROM replication_task WHERE tenant_id = ?", Integer.class,
                api.tenant())).hasSize(60).containsOnly(1);
        for (String scan : List.of(scanA, scanB)) {
            JsonNode progress = expect(api.get("/storage/v1/classification/scans/" + scan), 200);
            assertThat(progress.get("objectsScanned").asInt()).isEqualTo(30);
            assertThat(progress.get("objectsLabelled").asInt()).isEqualTo(30);
        }
        assertThat(expect(api.get("/storage/v1/classification/stats"), 200).get("classifiedObjects").asLong())
                .isEqualTo(30);
    }

    private static void race(ThrowingRunnable work) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                running.add(threads.submit(() -> {
                    go.await();
                    work.run();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : running) {
                future.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
