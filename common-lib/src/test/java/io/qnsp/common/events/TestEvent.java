package io.qnsp.common.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** An event whose stream the test chooses, so each test reads a stream of its own. */
record TestEvent(UUID eventId, Instant occurredAt, String stream, String note) implements OutboxEvent {

    static TestEvent on(String stream, String note) {
        // PostgreSQL keeps microseconds; truncating lets tests compare the published occurredAt exactly.
        return new TestEvent(UUID.randomUUID(), Instant.now().truncatedTo(ChronoUnit.MICROS), stream, note);
    }
}
