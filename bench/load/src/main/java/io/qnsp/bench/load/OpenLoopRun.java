package io.qnsp.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * One open-loop run on two threads. The schedule thread makes request {@code i} due at {@code start + i / rate}
 * and writes it at once on an idle connection, if there is one. The I/O thread (the caller of {@link #run()})
 * reads responses, records each latency from the request's intended start, and hands the freed connection to the
 * oldest request still waiting for one. Requests of the warm-up phase are sent alike but not recorded.
 */
final class OpenLoopRun {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long START_DELAY_NANOS = 20_000_000L;
    private static final long HOUSEKEEPING_NANOS = 10_000_000L;

    private final LoadSettings settings;
    private final Requests requests;
    private final Selector selector;
    private final Connection[] connections;
    private final long total;
    private final long warmupRequests;
    private final long timeoutNanos;
    private final long lateThresholdNanos;
    private long startNanos;

    // shared by both threads: requests [nextToSend, due) wait for a connection; each ends once, settled
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();
    private final AtomicLong due = new AtomicLong();
    private final AtomicLong nextToSend = new AtomicLong();
    private final AtomicLong settled = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong maxLagNanos = new AtomicLong();
    private volatile long maxPending;

    // the I/O thread's own
    private final Histogram latencyMicros = new Histogram(3);
    private final long[] statusCounts = new long[600];
    private long completed;
    private long lastResponseNanos;

    OpenLoopRun(LoadSettings settings, Requests requests) throws IOException {
        this.settings = settings;
        this.requests = requests;
        this.selector = Selector.open();
        this.connections = new Connection[settings.connections()];
        this.warmupRequests = requestsIn(settings.warmup().toNanos());
        this.total = warmupRequests + requestsIn(settings.duration().toNanos());
        this.timeoutNanos = settings.timeout().toNanos();
        this.lateThresholdNanos = settings.lateThreshold().toNanos();
    }

    LoadResult run() throws IOException, InterruptedException {
        for (int i = 0; i < connections.length; i++) {
            connections[i] = new Connection(requests);
            connections[i].open(selector); // fails fast when the server is not there
            idle.add(connections[i]);
        }
        startNanos = System.nanoTime() + START_DELAY_NANOS;
        long measuredStart = intendedStart(warmupRequests);
        long drainDeadline = intendedStart(total) + timeoutNanos;
        double cpuAtMeasuredStart = Double.NaN;
        long lastHousekeeping = startNanos;
        Thread schedule = Thread.ofPlatform().name("schedule").daemon(true).start(this::sendOnSchedule);
        while (settled.get() < total) {
            selector.select(this::onReady, 20);
            long now = System.nanoTime();
            if (Double.isNaN(cpuAtMeasuredStart) && now >= measuredStart) {
                cpuAtMeasuredStart = processCpuSeconds();
            }
            if (now - lastHousekeeping > HOUSEKEEPING_NANOS) {
                lastHousekeeping = now;
                failTimedOut(now);
                if (now > drainDeadline) {
                    schedule.join();
                    failUnanswered(now);
                }
            }
        }
        double cpuCores = Double.isNaN(cpuAtMeasuredStart) ? 0
                : (processCpuSeconds() - cpuAtMeasuredStart) / ((System.nanoTime() - measuredStart) / 1e9);
        schedule.join();
        for (Connection connection : connections) {
            connection.close();
        }
        selector.close();
        // at least the phase's length: responses that trail past its end mean the server fell behind
        double window = Math.max(lastResponseNanos - measuredStart, settings.duration().toNanos()) / 1e9;
        return new LoadResult(settings, total - warmupRequests, completed, errors.get(), statusCounts,
                completed / window, late.get(), maxLagNanos.get() / 1e6, maxPending, latencyMicros, cpuCores);
    }

    /** The schedule thread: makes each request due at its intended start and sends what a connection is free for. */
    private void sendOnSchedule() {
        long next = 0;
        while (next < total) {
            long now = System.nanoTime();
            long intended = intendedStart(next);
            if (now < intended) {
                LockSupport.parkNanos(intended - now);
                continue;
            }
            do {
                next++;
            } while (next < total && intendedStart(next) <= now);
            due.set(next);
            sendDue();
            maxPending = Math.max(maxPending, next - nextToSend.get());
        }
    }

    /**
     * Writes due requests, oldest first, on idle connections, longest idle first; called by the schedule thread when
     * requests become due and by the I/O thread when a connection is freed, so neither can miss the other's news.
     * The time between a request being due with a connection free and its write is the generator's own lag; the
     * time it waited for a connection is queueing the server caused, which its latency carries.
     */
    private void sendDue() {
        while (nextToSend.get() < due.get()) {
            Connection connection = idle.poll();
            if (connection == null) {
                return;
            }
            long index = nextToSend.get();
            if (index >= due.get() || !nextToSend.compareAndSet(index, index + 1)) {
                idle.add(connection); // the other thread took it: look again
                continue;
            }
            long now = System.nanoTime();
            if (measured(index)) {
                long lag = now - Math.max(intendedStart(index), connection.idleSinceNanos());
                maxLagNanos.accumulateAndGet(lag, Math::max);
                if (lag > lateThresholdNanos) {
                    late.incrementAndGet();
                }
            }
            if (!connection.isOpen()) {
                try {
                    connection.open(selector);
                    selector.wakeup(); // the I/O thread watches the new channel from its next select
                } catch (IOException e) {
                    fail(index); // never in flight: this sender settles it
                    idle.add(connection);
                    continue;
                }
            }
            connection.send(index, requests.get(index), now); // from here the I/O thread owns it, failures too
        }
    }

    /**
     * The I/O thread: reads what arrived on one connection. It owns connections with a request in flight; an idle
     * one it owns only once it has taken it from the idle queue, for a sender may have just taken it to send on.
     */
    private void onReady(SelectionKey key) {
        Connection connection = (Connection) key.attachment();
        long now = System.nanoTime();
        try {
            if (key.isWritable()) {
                connection.onWritable();
            }
            if (key.isReadable()) {
                switch (connection.onReadable()) {
                    case RESPONSE -> {
                        long request = connection.request();
                        int status = connection.finish(now);
                        record(request, status, now);
                        free(connection, now);
                    }
                    case CLOSED_IDLE -> reopenIfIdle(connection, now);
                    case INCOMPLETE -> { }
                }
            }
        } catch (CancelledKeyException e) {
            // the connection was closed since it was selected
        } catch (IOException e) {
            long request = connection.request();
            if (request >= 0) {
                connection.abandon(now);
                fail(request);
                free(connection, now);
            } else {
                reopenIfIdle(connection, now);
            }
        }
    }

    /**
     * The server closed an idle connection: reopen it, unless a sender has just taken it, whose request then meets
     * the closed connection and fails as any request in flight does.
     */
    private void reopenIfIdle(Connection connection, long now) {
        if (idle.remove(connection)) {
            connection.abandon(now);
            free(connection, now);
        }
    }

    /** Returns a connection to the idle ones, reconnecting first (off the schedule thread) if the server closed it. */
    private void free(Connection connection, long now) {
        if (!connection.isOpen()) {
            try {
                connection.open(selector);
            } catch (IOException e) {
                // left closed: the next request sent on it tries again, or counts as an error
            }
        }
        idle.add(connection);
        sendDue();
    }

    private void failTimedOut(long now) {
        for (Connection connection : connections) {
            long request = connection.request();
            if (request >= 0 && now - connection.sentNanos() > timeoutNanos) {
                connection.abandon(now);
                fail(request);
                free(connection, now);
            }
        }
    }

    /** At the drain deadline, after the schedule thread ended: whatever is unanswered or unsent is an error. */
    private void failUnanswered(long now) {
        for (long index = nextToSend.getAndSet(total); index < total; index++) {
            fail(index);
        }
        for (Connection connection : connections) {
            long request = connection.request();
            if (request >= 0) {
                connection.abandon(now);
                fail(request);
            }
        }
    }

    private void record(long index, int status, long now) {
        settled.incrementAndGet();
        if (measured(index)) {
            completed++;
            statusCounts[Math.min(Math.max(status, 0), statusCounts.length - 1)]++;
            latencyMicros.recordValue(Math.max(now - intendedStart(index), 0) / 1_000);
            lastResponseNanos = now;
        }
    }

    private void fail(long index) {
        settled.incrementAndGet();
        if (measured(index)) {
            errors.incrementAndGet();
        }
    }

    private boolean measured(long index) {
        return index >= warmupRequests;
    }

    private long intendedStart(long index) {
        return startNanos + index * NANOS_PER_SECOND / settings.rate(); // exact, no drift; overflows after 9e9 requests
    }

    private long requestsIn(long nanos) {
        return Math.round(nanos / 1e9 * settings.rate());
    }

    private static double processCpuSeconds() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() / 1e9 : Double.NaN;
    }
}
