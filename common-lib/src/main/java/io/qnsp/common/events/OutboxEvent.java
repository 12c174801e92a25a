package io.qnsp.common.events;

import java.time.Instant;
import java.util.UUID;

/** An event that leaves a service through the transactional outbox onto a Redis stream. */
public interface OutboxEvent {

    /** Unique id; consumers store idempotently by it. */
    UUID eventId();

    /** When the fact happened. */
    Instant occurredAt();

    /** The logical stream name (without key prefix), e.g. {@code audit}. */
    String stream();
}
