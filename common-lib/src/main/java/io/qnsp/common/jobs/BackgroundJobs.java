package io.qnsp.common.jobs;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Runs the job of an id (a report, an evaluation) in the background on virtual threads, at most {@code concurrency}
 * at a time, and each id at most once at a time on this instance: submitting an id that is queued or running here
 * does nothing. Nothing is kept across a restart: whoever owns the work finds what was left over (at start-up, or
 * by a sweep) and submits it again, so a job must be safe to run twice.
 */
public final class BackgroundJobs {

    private final Consumer<UUID> job;
    private final Semaphore permits;
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers;

    /**
     * @param threadName  the prefix of the workers' names, for thread dumps and logs
     * @param concurrency how many jobs may run at once (at least 1)
     * @param job         the work for an id; what it throws ends that job only
     */
    public BackgroundJobs(String threadName, int concurrency, Consumer<UUID> job) {
        this.job = job;
        this.permits = new Semaphore(Math.max(1, concurrency));
        this.workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(threadName, 0).factory());
    }

    /** Queues the id's job, unless it is already queued or running here, or the jobs are shutting down. */
    public void submit(UUID id) {
        if (!inFlight.add(id)) {
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    permits.acquire();
                    try {
                        job.accept(id);
                    } finally {
                        permits.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.remove(id);
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(id); // shutting down: the owner's next start-up or sweep submits it again
        }
    }

    /** Whether the id's job is queued or running on this instance. */
    public boolean isQueuedOrRunning(UUID id) {
        return inFlight.contains(id);
    }

    /** Interrupts running jobs and refuses new ones. */
    public void shutdownNow() {
        workers.shutdownNow();
    }
}
