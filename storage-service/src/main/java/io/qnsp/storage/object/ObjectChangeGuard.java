package io.qnsp.storage.object;

/**
 * Says whether an object may be overwritten or deleted now; consulted before an upload is read and again, under the
 * object's row lock, before the change is recorded. Refuses by throwing (e.g. a legal hold's 409).
 */
public interface ObjectChangeGuard {

    /** What is about to happen to the object. */
    enum Change { OVERWRITE, DELETE }

    void check(StoredObject object, Change change);
}
