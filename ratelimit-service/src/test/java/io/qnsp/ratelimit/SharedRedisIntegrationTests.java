package io.qnsp.ratelimit;

import io.qnsp.test.infra.ServiceInstances;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two service instances on one Redis enforce one bucket between them. */
class SharedRedisIntegrationTests {

    @Test
    void twoInstancesHammeredOnOneKeyNeverAdmitMoreThanBurstPlusRefill() throws Exception {
        try (ServiceInstances instances = new ServiceInstances(RateLimitApplication.class, TestRedis.shared(),
                Map.of())) {
            RateLimitClient first = new RateLimitClient(instances.start());
            RateLimitClient second = new RateLimitClient(instances.start());
            int rate = 20;
            int burst = 30;
            String key = first.createKey("shared", rate, burst);
            // the bucket starts full at the first check: the clock starts before it
            long start = System.nanoTime();
            first.check(key, 1);
            second.check(key, 1);

            AtomicInteger admitted = new AtomicInteger(2);
            AtomicInteger throttled = new AtomicInteger();
            AtomicInteger other = new AtomicInteger();
            long durationNanos = 2_000_000_000L;
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> workers = new ArrayList<>();
            long giveUpNanos = 20_000_000_000L;
            for (int t = 0; t < 8; t++) {
                RateLimitClient client = t % 2 == 0 ? first : second;
                workers.add(pool.submit(() -> {
                    // two seconds, and on until the bucket has refused someone: a loaded machine may not empty it
                    // within the two seconds
                    while ((System.nanoTime() - start < durationNanos || throttled.get() == 0)
                            && System.nanoTime() - start < giveUpNanos) {
                        int status = client.check(key, 1).getStatusCode().value();
                        if (status == 200) {
                            admitted.incrementAndGet();
                        } else if (status == 429) {
                            throttled.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            double elapsedSeconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();

            double ceiling = burst + rate * elapsedSeconds + 1;
            String measured = "admitted %d, throttled %d in %.2f s".formatted(admitted.get(), throttled.get(),
                    elapsedSeconds);
            assertThat(other.get()).as(measured).isZero();
            assertThat(throttled.get()).as(measured).isPositive();
            assertThat(admitted.get()).as(measured).isLessThanOrEqualTo((int) Math.floor(ceiling));
            // and the limiter is not simply refusing: it refused only once the whole burst had been admitted
            assertThat(admitted.get()).as(measured).isGreaterThanOrEqualTo(burst);
        }
    }

    @Test
    void aKeyChangeMadeOnOneInstanceReachesTheOtherInstancesCachedKey() {
        try (ServiceInstances instances = new ServiceInstances(RateLimitApplication.class, TestRedis.shared(),
                Map.of())) {
            RateLimitClient first = new RateLimitClient(instances.start());
            RateLimitClient second = new RateLimitClient(instances.start());
            String key = first.createKey("propagated", 5, 10);
            assertThat(second.check(key, 1).getBody().get("limit").asLong()).isEqualTo(10); // now cached there

            first.putLimits(key, Map.of("algorithm", "token_bucket", "tokensPerSecond", 5, "burstCapacity", 40));
            awaitOnSecond(() -> second.check(key, 1).getBody().get("limit").asLong() == 40);

            first.adminPost("/v1/api-keys/{key}/disable", key);
            awaitOnSecond(() -> second.check(key, 1).getStatusCode().value() == 401);
        }
    }

    /**
     * A change notice travels over Redis pub/sub. The wait is generous for a loaded machine and still far below the
     * cache's expiry of 5 minutes, so only the notice can have ended the cached entry.
     */
    private static void awaitOnSecond(Callable<Boolean> condition) {
        await("the change on the second instance").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20)).until(condition);
    }
}
