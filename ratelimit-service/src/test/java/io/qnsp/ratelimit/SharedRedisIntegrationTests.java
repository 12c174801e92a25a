package io.qnsp.ratelimit;

import io.qnsp.test.infra.ServiceInstances;
import io.qnsp.test.infra.TestRedis;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

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
            for (int t = 0; t < 8; t++) {
                RateLimitClient client = t % 2 == 0 ? first : second;
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() - start < durationNanos) {
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
            assertThat(other.get()).isZero();
            assertThat(throttled.get()).isPositive();
            assertThat(admitted.get()).isLessThanOrEqualTo((int) Math.floor(ceiling));
            // and the limiter is not simply refusing: most of the allowance was used
            assertThat(admitted.get()).isGreaterThanOrEqualTo((int) (burst + rate * elapsedSeconds * 0.5));
        }
    }

    @Test
    void aKeyChangeMadeOnOneInstanceReachesTheOtherInstancesCachedKey() throws Exception {
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

    /** A change notice travels over Redis pub/sub: allow it a moment, far below the cache's expiry. */
    private static void awaitOnSecond(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        fail("the change did not reach the second instance within 2s (the cache expiry is 5 minutes)");
    }
}
