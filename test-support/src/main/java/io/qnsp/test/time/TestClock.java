package io.qnsp.test.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The service's clock in tests: the system clock until a test pins it, then exactly where the test puts it. */
public final class TestClock extends Clock {

    private volatile Instant pinned;

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant at = pinned;
        return at != null ? at : Instant.now();
    }

    /** Stops time at the instant given. */
    public void pin(Instant at) {
        pinned = at;
    }

    public void advance(Duration by) {
        pinned = instant().plus(by);
    }

    /** Back to the system clock; tests that pin call it when they end. */
    public void release() {
        pinned = null;
    }
}
