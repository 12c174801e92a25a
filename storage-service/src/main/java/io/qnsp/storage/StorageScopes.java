package io.qnsp.storage;

/** The OAuth2 scopes of the storage API; a caller with the admin role (or the {@code admin} scope) holds all of them. */
public final class StorageScopes {

    /** List buckets and objects, download objects and read their metadata, statistics and replication status. */
    public static final String READ = "storage:read";
    /** Create and delete buckets, upload, overwrite and delete objects. */
    public static final String WRITE = "storage:write";
    /** Create classification and retention policies and replication configurations, start classification scans. */
    public static final String GOVERN = "storage:govern";
    /** Place and release legal holds: kept apart from {@link #GOVERN} so holds can be a legal team's alone. */
    public static final String LEGAL_HOLD = "storage:legal-hold";

    private StorageScopes() {
    }
}
