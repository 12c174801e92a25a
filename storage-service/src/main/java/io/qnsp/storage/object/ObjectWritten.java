package io.qnsp.storage.object;

/**
 * An object's content was written (created, or overwritten with a new version); published inside the transaction
 * that records it, so listeners' own rows commit or roll back with it.
 */
public record ObjectWritten(StoredObject object, boolean created) {
}
