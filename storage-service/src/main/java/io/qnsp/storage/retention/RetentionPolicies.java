package io.qnsp.storage.retention;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Retention policies, and the questions asked of them: which policy keeps an object longest, which objects' periods
 * have ended without their action applied. A policy applies to an object in one of its buckets (any, when none are
 * named) whose classification (the highest label of its current content) is one of its classifications (any object,
 * when none are named; an unlabelled object has none).
 */
@Repository
class RetentionPolicies {

    /** An object whose retention ended and whose governing policy's action is still to be applied. */
    record Due(String tenantId, UUID objectId, UUID versionId, UUID policyId, String onExpiry, Instant until) {
    }

    private static final RowMapper<RetentionPolicy> POLICY = (rs, row) -> new RetentionPolicy(
            rs.getObject("policy_id", UUID.class), rs.getString("tenant_id"), rs.getString("name"),
            rs.getString("retention_period"), strings(rs.getArray("buckets")),
            strings(rs.getArray("classifications")), rs.getString("on_expiry"), rs.getString("created_by"),
            rs.getTimestamp("created_at").toInstant());

    // every (object, applicable policy) with the end of the object's period under it
    private static final String APPLICABLE = """
            SELECT o.tenant_id, o.object_id, o.version_id, p.policy_id, p.on_expiry, p.created_at AS policy_created,
                   o.written_at + p.period AS until
            FROM stored_object o
            JOIN bucket b ON b.bucket_id = o.bucket_id
            LEFT JOIN LATERAL (
                SELECT l.classification FROM object_label l
                WHERE l.object_id = o.object_id AND l.version_id = o.version_id AND l.classification IS NOT NULL
                ORDER BY CASE l.classification WHEN 'public' THEN 1 WHEN 'internal' THEN 2
                         WHEN 'confidential' THEN 3 WHEN 'restricted' THEN 4 END DESC
                LIMIT 1) c ON true
            JOIN retention_policy p ON p.tenant_id = o.tenant_id
                AND (cardinality(p.buckets) = 0 OR b.name = ANY (p.buckets))
                AND (cardinality(p.classifications) = 0 OR c.classification = ANY (p.classifications))
            """;

    private final JdbcClient jdbc;

    RetentionPolicies(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts unless the tenant has a policy of that name; whether it did. */
    boolean insert(RetentionPolicy p) {
        return jdbc.sql("""
                        INSERT INTO retention_policy (policy_id, tenant_id, name, retention_period, period, buckets,
                            classifications, on_expiry, created_by, created_at)
                        VALUES (?, ?, ?, ?, CAST(? AS interval), ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, name) DO NOTHING""")
                .params(p.policyId(), p.tenantId(), p.name(), p.retentionPeriod(), p.retentionPeriod(),
                        p.buckets().toArray(String[]::new), p.classifications().toArray(String[]::new), p.onExpiry(),
                        p.createdBy(), Timestamp.from(p.createdAt()))
                .update() == 1;
    }

    List<RetentionPolicy> all(String tenantId) {
        return jdbc.sql("SELECT * FROM retention_policy WHERE tenant_id = ? ORDER BY created_at, name")
                .param(tenantId).query(POLICY).list();
    }

    /** Whether the interval is longer than nothing (PostgreSQL's reading of the ISO 8601 text). */
    boolean positive(String isoDuration) {
        return jdbc.sql("SELECT CAST(? AS interval) > interval '0'").param(isoDuration).query(Boolean.class).single();
    }

    Optional<Retention> governing(String tenantId, UUID objectId) {
        return jdbc.sql(APPLICABLE + " WHERE o.tenant_id = ? AND o.object_id = ? ORDER BY until DESC, policy_created "
                        + "LIMIT 1")
                .params(tenantId, objectId)
                .query((rs, row) -> new Retention(rs.getObject("policy_id", UUID.class), rs.getString("on_expiry"),
                        rs.getTimestamp("until").toInstant()))
                .optional();
    }

    List<Due> due(Instant now, int limit) {
        return jdbc.sql("SELECT * FROM (SELECT DISTINCT ON (object_id) * FROM (" + APPLICABLE + ") a "
                        + "ORDER BY object_id, until DESC, policy_created) g "
                        + "WHERE until <= ? AND NOT EXISTS (SELECT 1 FROM retention_action r WHERE r.object_id = "
                        + "g.object_id AND r.version_id = g.version_id AND r.policy_id = g.policy_id) "
                        + "ORDER BY until LIMIT ?")
                .params(Timestamp.from(now), limit)
                .query((rs, row) -> new Due(rs.getString("tenant_id"), rs.getObject("object_id", UUID.class),
                        rs.getObject("version_id", UUID.class), rs.getObject("policy_id", UUID.class),
                        rs.getString("on_expiry"), rs.getTimestamp("until").toInstant()))
                .list();
    }

    /** Records that a policy's action was applied to a content version; false when it already was. */
    boolean recordAction(Due due, String outcome, Instant now) {
        return jdbc.sql("""
                        INSERT INTO retention_action (object_id, version_id, policy_id, tenant_id, action, outcome,
                            applied_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                .params(due.objectId(), due.versionId(), due.policyId(), due.tenantId(), due.onExpiry(), outcome,
                        Timestamp.from(now))
                .update() == 1;
    }

    private static List<String> strings(@Nullable Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
