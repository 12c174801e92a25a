package io.qnsp.common.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the engine should call Redis: after a failed call, calls are skipped for the retry interval and then one
 * caller at a time probes, so an outage costs one failed call (or one command timeout) per interval instead of one
 * per request. Only a call sent after the outage began can end it: on an overloaded instance, answers to calls sent
 * earlier arrive late and interleave with timeouts, and counting them flipped the engine between Redis and its
 * fallback (and logged each flip) many times a second. Thread-safe; times are local monotonic nanos.
 */
final class RedisAvailability {

    private final long retryIntervalNanos;
    private final AtomicLong nextAttemptAt = new AtomicLong();
    private volatile boolean down;
    // when the current outage began; read only while down
    private volatile long downSince;

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
            downSince = now;
            down = true;
            return true;
        }
    }

    /** Records a call sent at {@code sentAt} that Redis answered; true when it ends an outage. */
    boolean recordSuccess(long sentAt) {
        if (!down) {
            return false;
        }
        synchronized (this) {
            if (!down || sentAt - downSince < 0) {
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
