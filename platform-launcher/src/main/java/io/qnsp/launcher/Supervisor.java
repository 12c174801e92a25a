package io.qnsp.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Restarts a service process that stops while the platform runs (a crash, an out-of-memory exit, {@code kill -9}),
 * as docker-compose's {@code restart: unless-stopped} and Kubernetes do for theirs. A process that stops again soon
 * waits longer each time before it is started again (1 s, doubling, at most {@link #MAX_DELAY}); one that ran for
 * {@link #STABLE} counts as healthy again. The shared JVM is one process: when it stops, it is started again with
 * every service it hosts. Nothing is restarted once the platform is stopping.
 */
final class Supervisor {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final Duration STABLE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(250);

    /** What is known of one process's stops: how many in a row, and when it is due to start again. */
    private static final class Stops {
        int inARow;
        Instant restartAt;
    }

    private final List<ServiceProcess> services;
    private final Map<String, Stops> stops = new LinkedHashMap<>();
    private volatile boolean stopping;
    private Thread thread;

    Supervisor(List<ServiceProcess> services) {
        this.services = services;
    }

    /** Starts watching in the background. */
    synchronized void start() {
        thread = Thread.ofPlatform().daemon().name("service-supervisor").start(this::watch);
    }

    /** Stops watching: nothing is restarted from now on (the platform is stopping). Waits for a restart under way. */
    void stop() {
        stopping = true;
        Thread watching;
        synchronized (this) {
            watching = thread;
        }
        if (watching != null) {
            watching.interrupt();
            try {
                watching.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void watch() {
        while (!stopping) {
            try {
                check(Instant.now());
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | IOException e) {
                LOG.error("restarting a stopped service failed", e);
                System.err.println("Restarting a stopped service failed: " + e.getMessage());
            }
        }
    }

    /** Restarts, once its delay has passed, each process that has stopped; the services of one process together. */
    void check(Instant now) throws IOException {
        Map<Process, List<ServiceProcess>> byProcess = new IdentityHashMap<>();
        for (ServiceProcess service : services) {
            byProcess.computeIfAbsent(service.process(), process -> new ArrayList<>()).add(service);
        }
        for (Map.Entry<Process, List<ServiceProcess>> entry : byProcess.entrySet()) {
            Process process = entry.getKey();
            List<ServiceProcess> group = entry.getValue();
            String name = String.join(", ", group.stream().map(ServiceProcess::name).toList());
            if (process.isAlive()) {
                Stops known = stops.get(name);
                if (known != null && known.restartAt == null
                        && process.info().startInstant().map(started -> started.plus(STABLE).isBefore(now))
                        .orElse(false)) {
                    stops.remove(name);
                }
                continue;
            }
            Stops known = stops.computeIfAbsent(name, n -> new Stops());
            if (known.restartAt == null) {
                known.inARow++;
                Duration delay = delay(known.inARow);
                known.restartAt = now.plus(delay);
                String message = name + " stopped (exit status " + process.exitValue() + "); starting it again in "
                        + delay.toSeconds() + " s";
                System.out.println(message);
                LOG.warn(message);
                continue;
            }
            if (now.isBefore(known.restartAt) || stopping) {
                continue;
            }
            Process restarted = group.getFirst().restart();
            for (ServiceProcess service : group.subList(1, group.size())) {
                service.replace(restarted);
            }
            known.restartAt = null;
            String message = "Started " + name + " again (process " + restarted.pid() + ")";
            System.out.println(message);
            LOG.info(message);
        }
    }

    /** The wait before the {@code inARow}-th start in a row: 1 s, doubling, at most {@link #MAX_DELAY}. */
    static Duration delay(int inARow) {
        long seconds = FIRST_DELAY.toSeconds() << Math.min(inARow - 1, 10);
        return Duration.ofSeconds(Math.min(seconds, MAX_DELAY.toSeconds()));
    }
}
