package io.qnsp.common.events;

/**
 * Records events in the caller's database transaction; they are relayed to Redis Streams after commit and retried
 * until Redis acknowledges them. An event of a transaction that rolls back is never published.
 */
public interface EventOutbox {

    /** Stores the event in the current transaction (or in a transaction of its own when none is active). */
    void append(OutboxEvent event);
}
