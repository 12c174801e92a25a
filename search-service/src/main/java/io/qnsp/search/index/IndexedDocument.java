package io.qnsp.search.index;

import java.time.Instant;

/**
 * One record to index: who owns it, where it came from, and its text.
 *
 * @param sourceId the id of the record in its source (an event id, an API key id, a secret id)
 */
public record IndexedDocument(String indexName, String tenantId, String sourceId, String title, String body,
                              Instant occurredAt) {
}
