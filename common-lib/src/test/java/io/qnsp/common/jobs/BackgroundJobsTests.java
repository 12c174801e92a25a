package io.qnsp.common.jobs;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BackgroundJobsTests {

    @Test
    void anIdIsRunOnceAtATimeAndNoMoreJobsRunThanTheConcurrency() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<UUID> ran = new CopyOnWriteArrayList<>();
        BackgroundJobs jobs = new BackgroundJobs("test-job-", 2, id -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.add(id);
            running.decrementAndGet();
        });
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        jobs.submit(first);
        jobs.submit(second);
        jobs.submit(third);
        await().atMost(10, TimeUnit.SECONDS).until(() -> running.get() == 2);
        jobs.submit(first); // queued or running: ignored
        assertThat(jobs.isQueuedOrRunning(first)).isTrue();
        assertThat(jobs.isQueuedOrRunning(third)).isTrue();

        release.countDown();
        await().atMost(10, TimeUnit.SECONDS).until(() -> ran.size() == 3 && !jobs.isQueuedOrRunning(third));
        assertThat(ran).containsExactlyInAnyOrder(first, second, third);
        assertThat(mostAtOnce.get()).isEqualTo(2);

        jobs.submit(first); // done: runs again
        await().atMost(10, TimeUnit.SECONDS).until(() -> ran.size() == 4);
        assertThat(ran.get(3)).isEqualTo(first);
        jobs.shutdownNow();
    }

    @Test
    void aJobThatThrowsEndsOnlyItselfAndAfterShutdownNothingIsQueued() {
        List<UUID> ran = new CopyOnWriteArrayList<>();
        UUID failing = UUID.randomUUID();
        BackgroundJobs jobs = new BackgroundJobs("test-job-", 1, id -> {
            ran.add(id);
            if (id.equals(failing)) {
                throw new IllegalStateException("boom");
            }
        });
        UUID next = UUID.randomUUID();
        jobs.submit(failing);
        jobs.submit(next);
        await().atMost(10, TimeUnit.SECONDS).until(() -> ran.size() == 2 && !jobs.isQueuedOrRunning(next));
        assertThat(jobs.isQueuedOrRunning(failing)).isFalse();

        jobs.shutdownNow();
        UUID late = UUID.randomUUID();
        jobs.submit(late);
        assertThat(jobs.isQueuedOrRunning(late)).isFalse();
        assertThat(ran).doesNotContain(late);
    }
}
