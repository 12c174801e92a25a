package io.qnsp.storage.object;

/**
 * An object's content write has committed; published after the transaction, outside any, so listeners may do slow
 * work with the new content (e.g. copy it to other regions) before the upload is answered.
 */
public record ObjectWriteCommitted(StoredObject object) {
}
