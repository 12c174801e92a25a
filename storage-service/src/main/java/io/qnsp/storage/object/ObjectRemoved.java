package io.qnsp.storage.object;

/** An object was deleted (by its owner, or when its retention expired); published inside the deleting transaction. */
public record ObjectRemoved(StoredObject object, String by) {
}
