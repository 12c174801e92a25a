package io.qnsp.storage.object;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The buckets of every tenant; each query is scoped by tenant. */
@Repository
class Buckets {

    private static final RowMapper<Bucket> BUCKET = (rs, row) -> new Bucket(rs.getObject("bucket_id", UUID.class),
            rs.getString("tenant_id"), rs.getString("name"), rs.getString("region"), rs.getString("created_by"),
            rs.getTimestamp("created_at").toInstant());

    private final JdbcClient jdbc;

    Buckets(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the bucket unless the tenant has one of that name; whether it did. */
    boolean insert(Bucket bucket) {
        return jdbc.sql("INSERT INTO bucket (bucket_id, tenant_id, name, region, created_by, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, name) DO NOTHING")
                .params(bucket.bucketId(), bucket.tenantId(), bucket.name(), bucket.region(), bucket.createdBy(),
                        Timestamp.from(bucket.createdAt()))
                .update() == 1;
    }

    Optional<Bucket> find(String tenantId, String name) {
        return jdbc.sql("SELECT * FROM bucket WHERE tenant_id = ? AND name = ?").params(tenantId, name)
                .query(BUCKET).optional();
    }

    /** Locks the bucket's row, so no object is added while it is being deleted. */
    Optional<Bucket> lock(String tenantId, String name) {
        return jdbc.sql("SELECT * FROM bucket WHERE tenant_id = ? AND name = ? FOR UPDATE").params(tenantId, name)
                .query(BUCKET).optional();
    }

    /** Locks the bucket's row against deletion while an object is recorded in it. */
    Optional<Bucket> share(String tenantId, String name) {
        return jdbc.sql("SELECT * FROM bucket WHERE tenant_id = ? AND name = ? FOR SHARE").params(tenantId, name)
                .query(BUCKET).optional();
    }

    List<BucketUsage> usage(String tenantId) {
        return jdbc.sql("""
                        SELECT b.*, count(o.object_id) AS objects, coalesce(sum(o.size_bytes), 0) AS bytes
                        FROM bucket b LEFT JOIN stored_object o ON o.bucket_id = b.bucket_id
                        WHERE b.tenant_id = ? GROUP BY b.bucket_id ORDER BY b.name""")
                .param(tenantId)
                .query((rs, row) -> new BucketUsage(BUCKET.mapRow(rs, row), rs.getLong("objects"), rs.getLong("bytes")))
                .list();
    }

    BucketUsage usage(Bucket bucket) {
        return jdbc.sql("SELECT count(*) AS objects, coalesce(sum(size_bytes), 0) AS bytes FROM stored_object "
                        + "WHERE bucket_id = ?")
                .param(bucket.bucketId())
                .query((rs, row) -> new BucketUsage(bucket, rs.getLong("objects"), rs.getLong("bytes"))).single();
    }

    void delete(UUID bucketId) {
        jdbc.sql("DELETE FROM bucket WHERE bucket_id = ?").param(bucketId).update();
    }
}
