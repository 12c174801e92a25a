package io.qnsp.vault.leak;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs queued scans on this instance: at most {@code qnsp.vault.leak.scans.threads} at once, each claimed from the
 * database with {@code FOR UPDATE SKIP LOCKED} so that several instances share the queue and no scan runs twice. It
 * looks for queued scans when one is submitted here, when one of its scans ends, and every {@code poll-interval};
 * it touches its running scans every {@code heartbeat-interval} and fails any instance's running scan untouched for
 * {@code stale-after} (that instance stopped).
 */
@Component
class ScanWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ScanWorker.class);

    private final LeakScans scans;
    private final ScanExecution execution;
    private final LeakSettings settings;
    private final String instanceId;
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();
    private final Clock clock = Clock.systemUTC();
    private volatile Semaphore free;
    private volatile ScheduledExecutorService poller;
    private volatile ExecutorService runners;

    ScanWorker(LeakScans scans, ScanExecution execution, LeakSettings settings) {
        this.scans = scans;
        this.execution = execution;
        this.settings = settings;
        this.instanceId = host() + "/" + UUID.randomUUID();
    }

    /** Looks for queued scans soon, on the worker's own thread. */
    void wake() {
        ScheduledExecutorService current = poller;
        if (current != null && !current.isShutdown()) {
            try {
                current.execute(this::claimAvailable);
            } catch (RuntimeException e) {
                // shutting down: the next instance's poll picks the scan up
            }
        }
    }

    /** Starts queued scans while this instance has a free thread; the ids of those started. */
    synchronized List<UUID> claimAvailable() {
        List<UUID> started = new ArrayList<>();
        Semaphore permits = free;
        ExecutorService pool = runners;
        if (permits == null || pool == null) {
            return started;
        }
        while (permits.tryAcquire()) {
            Optional<LeakScan> claimed;
            try {
                claimed = scans.claimNext(instanceId, clock.instant());
            } catch (RuntimeException e) {
                permits.release();
                log.warn("Could not read the scan queue: {}", e.getClass().getName());
                break;
            }
            if (claimed.isEmpty()) {
                permits.release();
                break;
            }
            LeakScan scan = claimed.get();
            running.add(scan.scanId());
            started.add(scan.scanId());
            try {
                pool.execute(() -> {
                    try {
                        execution.run(scan, instanceId);
                    } finally {
                        running.remove(scan.scanId());
                        permits.release();
                        wake();
                    }
                });
            } catch (RuntimeException rejected) {
                running.remove(scan.scanId());
                permits.release();
                scans.fail(scan.scanId(), instanceId, "the service instance stopped before the scan started; "
                        + "submit it again", clock.instant());
            }
        }
        return started;
    }

    /** Fails the running scans whose instance stopped touching them; how many. */
    int failStale() {
        Instant now = clock.instant();
        int failed = scans.failStale(now.minus(settings.scans().staleAfter()), now);
        if (failed > 0) {
            log.warn("Failed {} scans whose instance stopped running them", failed);
        }
        return failed;
    }

    void heartbeat() {
        scans.heartbeat(instanceId, List.copyOf(running), clock.instant());
    }

    String instanceId() {
        return instanceId;
    }

    private void poll() {
        try {
            failStale();
            claimAvailable();
        } catch (RuntimeException e) {
            log.warn("Scan worker poll failed: {}", e.getClass().getName());
        }
    }

    @Override
    public void start() {
        if (!settings.scans().run()) {
            return;
        }
        int threads = settings.scans().threads();
        free = new Semaphore(threads);
        runners = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("leak-scan-", 1).daemon()
                .factory());
        poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("leak-scan-poller").daemon()
                .factory());
        poller.scheduleWithFixedDelay(this::poll, 0, Math.max(100, settings.scans().pollInterval().toMillis()),
                TimeUnit.MILLISECONDS);
        poller.scheduleWithFixedDelay(() -> {
            try {
                heartbeat();
            } catch (RuntimeException e) {
                log.warn("Scan heartbeat failed: {}", e.getClass().getName());
            }
        }, settings.scans().heartbeatInterval().toMillis(), Math.max(100,
                settings.scans().heartbeatInterval().toMillis()), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService currentPoller = poller;
        ExecutorService currentRunners = runners;
        poller = null;
        runners = null;
        if (currentPoller != null) {
            currentPoller.shutdownNow();
        }
        if (currentRunners != null) {
            // running scans see the interruption and fail with a reason
            currentRunners.shutdownNow();
            try {
                currentRunners.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return poller != null;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "vault";
        }
    }
}
