package io.qnsp.vault.leak;

import io.qnsp.test.infra.EmbeddedInfrastructure;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scan queue as several instances share it: a queued scan is claimed by exactly one, a scan another instance is
 * claiming is skipped rather than waited for, progress is written only by the claimer, and a running scan whose
 * instance stopped is failed. This context queues scans without running them (scans.run=false), so the test claims
 * them itself, as two instances would.
 */
@SpringBootTest(properties = "qnsp.vault.leak.scans.run=false")
@ActiveProfiles("test")
@EmbeddedInfrastructure
class ScanQueueIntegrationTests {

    @Autowired
    LeakScans scans;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void aQueuedScanIsClaimedByOneInstanceWhileAnotherSkipsIt() throws Exception {
        jdbc.update("UPDATE leak_scan SET status = 'failed' WHERE status = 'queued'");
        UUID first = queue(Instant.now().minusSeconds(2));
        UUID second = queue(Instant.now().minusSeconds(1));
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);

        // instance A claims the oldest and holds its transaction open
        CompletableFuture<Optional<LeakScan>> a = CompletableFuture.supplyAsync(() ->
                new TransactionTemplate(transactions).execute(status -> {
                    Optional<LeakScan> scan = scans.claimNext("instance-a", Instant.now());
                    claimed.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return scan;
                }));
        assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();
        // instance B does not wait for A's row: it takes the next one
        Optional<LeakScan> b = scans.claimNext("instance-b", Instant.now());
        release.countDown();

        assertThat(a.get(10, TimeUnit.SECONDS)).map(LeakScan::scanId).contains(first);
        assertThat(b).map(LeakScan::scanId).contains(second);
        assertThat(b.get().status()).isEqualTo(ScanStatus.RUNNING);
        assertThat(b.get().startedAt()).isNotNull();
        assertThat(scans.claimNext("instance-c", Instant.now())).isEmpty();
        assertThat(jdbc.queryForList("SELECT claimed_by FROM leak_scan WHERE scan_id IN (?, ?) ORDER BY created_at",
                String.class, first, second)).containsExactly("instance-a", "instance-b");

        // only the claimer writes progress
        assertThat(scans.progress(second, "instance-a", 50, 2, 1, 10, 0, Instant.now())).isFalse();
        assertThat(scans.progress(second, "instance-b", 50, 2, 1, 10, 0, Instant.now())).isTrue();
        assertThat(jdbc.queryForObject("SELECT progress FROM leak_scan WHERE scan_id = ?", Integer.class, second))
                .isEqualTo(50);
    }

    @Test
    void aRunningScanWhoseInstanceStoppedIsFailedAndCannotBeCompletedLater() {
        jdbc.update("UPDATE leak_scan SET status = 'failed' WHERE status = 'queued'");
        UUID scanId = queue(Instant.now());
        Instant claimedAt = Instant.now().minus(Duration.ofMinutes(10));
        assertThat(scans.claimNext("gone", claimedAt)).isPresent();

        assertThat(scans.failStale(Instant.now().minus(Duration.ofMinutes(5)), Instant.now())).isEqualTo(1);

        assertThat(jdbc.queryForObject("SELECT status FROM leak_scan WHERE scan_id = ?", String.class, scanId))
                .isEqualTo("failed");
        assertThat(jdbc.queryForObject("SELECT failure_reason FROM leak_scan WHERE scan_id = ?", String.class,
                scanId)).contains("instance running the scan stopped");
        assertThat(scans.complete(scanId, "gone", Instant.now())).isFalse();
    }

    private UUID queue(Instant createdAt) {
        UUID scanId = UUID.randomUUID();
        scans.insert(new LeakScan(scanId, "tenant-" + UUID.randomUUID(), ScanStatus.QUEUED, List.of(ScanTarget.GIT),
                List.of("/tmp/repository"), List.of(), List.of(), "tester", createdAt, 1, createdAt.plusSeconds(20),
                null, null, 0, null, 0, 0, 0, null));
        return scanId;
    }
}
