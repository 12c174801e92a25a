package io.qnsp.common.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the engine should call Redis: after a failed call, calls are skipped for the retry interval and then one
 * caller at a time probes, so an outage costs one failed call (or one command timeout) per interval instead of one
 * per request. Thread-safe; times are local monotonic nanos.
 */
final class RedisAvailability {

    private final long retryIntervalNanos;
    private final AtomicLong nextAttemptAt = new AtomicLong();
    private volatile boolean down;

    RedisAvailability(Duration retryInterval) {
        this.retryIntervalNanos = retryInterval.toNanos();
    }

    /** True when Redis is up, or when it is down and this caller won the probe after the retry interval. */
    boolean shouldCall(long now) {
        if (!down) {
            return true;
        }
        long next = nextAttemptAt.get();
        return now - next >= 0 && nextAttemptAt.compareAndSet(next, now + retryIntervalNanos);
    }

    /** Records a failed call; true when it starts an outage (the caller logs it once). */
    boolean recordFailure(long now) {
        // set before 'down' so a reader that sees the outage also sees when to retry
        nextAttemptAt.set(now + retryIntervalNanos);
        if (down) {
            return false;
        }
        synchronized (this) {
            if (down) {
                return false;
            }
            down = true;
            return true;
        }
    }

    /** Records an answered call; true when it ends an outage. */
    boolean recordSuccess() {
        if (!down) {
            return false;
        }
        synchronized (this) {
            if (!down) {
                return false;
            }
            down = false;
            return true;
        }
    }

    boolean isDown() {
        return down;
    }
}
