package io.qnsp.storage.object;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Object rows, each query scoped by tenant (or by a bucket already resolved for the tenant). */
@Repository
public class StoredObjects {

    static final String SELECT = "SELECT o.*, b.name AS bucket_name FROM stored_object o "
            + "JOIN bucket b ON b.bucket_id = o.bucket_id ";

    static final RowMapper<StoredObject> OBJECT = (rs, row) -> new StoredObject(
            rs.getObject("object_id", UUID.class), rs.getString("tenant_id"), rs.getObject("bucket_id", UUID.class),
            rs.getString("bucket_name"), rs.getString("object_key"), rs.getObject("version_id", UUID.class),
            rs.getLong("size_bytes"), rs.getString("etag"), rs.getString("content_type"), rs.getString("wrapped_key"),
            rs.getString("storage_class"), rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("written_at").toInstant(), rs.getString("written_by"));

    private final JdbcClient jdbc;

    StoredObjects(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<StoredObject> find(UUID bucketId, String key) {
        return jdbc.sql(SELECT + "WHERE o.bucket_id = ? AND o.object_key = ?").params(bucketId, key).query(OBJECT)
                .optional();
    }

    Optional<StoredObject> lock(UUID bucketId, String key) {
        return jdbc.sql(SELECT + "WHERE o.bucket_id = ? AND o.object_key = ? FOR UPDATE OF o").params(bucketId, key)
                .query(OBJECT).optional();
    }

    /** The tenant's object of that id. */
    public Optional<StoredObject> find(String tenantId, UUID objectId) {
        return jdbc.sql(SELECT + "WHERE o.tenant_id = ? AND o.object_id = ?").params(tenantId, objectId)
                .query(OBJECT).optional();
    }

    /** Locks the tenant's object of that id (for a change made outside a request, e.g. by the retention sweeper). */
    public Optional<StoredObject> lock(String tenantId, UUID objectId) {
        return jdbc.sql(SELECT + "WHERE o.tenant_id = ? AND o.object_id = ? FOR UPDATE OF o").params(tenantId, objectId)
                .query(OBJECT).optional();
    }

    /** Of the ids given, those the tenant has. */
    public List<UUID> existing(String tenantId, Collection<UUID> objectIds) {
        if (objectIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT object_id FROM stored_object WHERE tenant_id = :tenant AND object_id IN (:ids)")
                .param("tenant", tenantId).param("ids", objectIds).query(UUID.class).list();
    }

    /** A page of a bucket's objects whose keys start with the prefix, after the key given, in byte order. */
    List<StoredObject> page(UUID bucketId, String prefix, @Nullable String after, int limit) {
        return jdbc.sql(SELECT + "WHERE o.bucket_id = :bucket AND starts_with(o.object_key, :prefix) "
                        + "AND (CAST(:after AS text) IS NULL OR o.object_key > CAST(:after AS text) COLLATE \"C\") "
                        + "ORDER BY o.object_key LIMIT :limit")
                .param("bucket", bucketId).param("prefix", prefix).param("after", after).param("limit", limit)
                .query(OBJECT).list();
    }

    void insert(StoredObject o) {
        jdbc.sql("""
                        INSERT INTO stored_object (object_id, tenant_id, bucket_id, object_key, version_id, size_bytes,
                            etag, content_type, wrapped_key, storage_class, created_at, written_at, written_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(o.objectId(), o.tenantId(), o.bucketId(), o.key(), o.versionId(), o.size(), o.etag(),
                        o.contentType(), o.wrappedKey(), o.storageClass(), Timestamp.from(o.createdAt()),
                        Timestamp.from(o.writtenAt()), o.writtenBy())
                .update();
    }

    void replaceContent(StoredObject o) {
        jdbc.sql("""
                        UPDATE stored_object SET version_id = ?, size_bytes = ?, etag = ?, content_type = ?,
                            wrapped_key = ?, written_at = ?, written_by = ?
                        WHERE object_id = ?""")
                .params(o.versionId(), o.size(), o.etag(), o.contentType(), o.wrappedKey(),
                        Timestamp.from(o.writtenAt()), o.writtenBy(), o.objectId())
                .update();
    }

    /** Moves the object to another storage class (e.g. archive when its retention expires). */
    public void storageClass(UUID objectId, String storageClass) {
        jdbc.sql("UPDATE stored_object SET storage_class = ? WHERE object_id = ?").params(storageClass, objectId)
                .update();
    }

    void delete(UUID objectId) {
        jdbc.sql("DELETE FROM stored_object WHERE object_id = ?").param(objectId).update();
    }

    /** The tenant's objects in the buckets named (all when none) whose keys start with one of the prefixes (any). */
    public List<StoredObject> inScope(String tenantId, List<String> buckets, List<String> prefixes) {
        return jdbc.sql(SELECT + """
                        WHERE o.tenant_id = :tenant
                          AND (cardinality(CAST(:buckets AS text[])) = 0 OR b.name = ANY (CAST(:buckets AS text[])))
                          AND (cardinality(CAST(:prefixes AS text[])) = 0
                               OR EXISTS (SELECT 1 FROM unnest(CAST(:prefixes AS text[])) p
                                          WHERE starts_with(o.object_key, p)))
                        ORDER BY b.name, o.object_key""")
                .param("tenant", tenantId).param("buckets", buckets.toArray(String[]::new))
                .param("prefixes", prefixes.toArray(String[]::new))
                .query(OBJECT).list();
    }
}
