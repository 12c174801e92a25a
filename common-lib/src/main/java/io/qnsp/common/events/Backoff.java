package io.qnsp.common.events;

import java.time.Duration;

/** Doubling pause between attempts against an unreachable server, from a first step up to a ceiling. */
final class Backoff {

    private final Duration first;
    private final Duration max;
    private Duration current;

    Backoff(Duration first, Duration max) {
        this.first = first.compareTo(max) > 0 ? max : first;
        this.max = max;
    }

    /** The pause before the next attempt; each call doubles it until the ceiling. */
    Duration next() {
        current = current == null ? first : min(current.multipliedBy(2), max);
        return current;
    }

    void reset() {
        current = null;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
