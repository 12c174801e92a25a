package io.qnsp.audit.events;

/**
 * Told of every audit event the moment ingestion stored it, inside the storing transaction: what a listener writes
 * commits with the event or not at all (deliveries are queued this way). A listener that throws rolls the event
 * back and leaves it to be consumed again, so it must only fail for reasons a retry can cure.
 */
@FunctionalInterface
public interface AuditEventStored {

    void stored(StoredAuditEvent event);
}
