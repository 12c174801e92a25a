package io.qnsp.audit.events;

import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * One page of audit events, newest first.
 *
 * @param nextCursor pass as {@code cursor} for the next (older) page; {@code null} on the last page
 */
public record AuditEventPage(List<StoredAuditEvent> events, @Nullable String nextCursor) {
}
