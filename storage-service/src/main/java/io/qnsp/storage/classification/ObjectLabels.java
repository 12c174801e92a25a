package io.qnsp.storage.classification;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Array;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The labels scans leave on objects (one per object and policy), and what is counted from them. Only labels of an
 * object's current content version count: an overwrite drops the old ones.
 */
@Repository
public class ObjectLabels {

    /** How the tenant's objects are classified, counted from their current labels. */
    public record Stats(long totalObjects, long classifiedObjects, Map<String, Long> byClassification,
                        Map<String, Long> byDataType) {
    }

    private static final String RANK = "CASE l.classification WHEN 'public' THEN 1 WHEN 'internal' THEN 2 "
            + "WHEN 'confidential' THEN 3 WHEN 'restricted' THEN 4 END";
    private static final String CURRENT = "FROM object_label l JOIN stored_object o "
            + "ON o.object_id = l.object_id AND o.version_id = l.version_id ";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ObjectLabels(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void upsert(String tenantId, ObjectLabel label) {
        jdbc.sql("""
                        INSERT INTO object_label (object_id, policy_id, tenant_id, version_id, classification,
                            data_types, findings, scanned_bytes, truncated, scan_id, scanned_at)
                        VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?)
                        ON CONFLICT (object_id, policy_id) DO UPDATE SET version_id = excluded.version_id,
                            classification = excluded.classification, data_types = excluded.data_types,
                            findings = excluded.findings, scanned_bytes = excluded.scanned_bytes,
                            truncated = excluded.truncated, scan_id = excluded.scan_id,
                            scanned_at = excluded.scanned_at""")
                .params(label.objectId(), label.policyId(), tenantId, label.versionId(), label.classification(),
                        label.dataTypes().toArray(String[]::new), json.writeValueAsString(label.findings()),
                        label.scannedBytes(), label.truncated(), label.scanId(), Timestamp.from(label.scannedAt()))
                .update();
    }

    /** Drops the labels of an object's earlier content. */
    void dropStale(UUID objectId, UUID currentVersion) {
        jdbc.sql("DELETE FROM object_label WHERE object_id = ? AND version_id <> ?").params(objectId, currentVersion)
                .update();
    }

    /** The labels of the object's current content, oldest policy first. */
    public List<ObjectLabel> of(UUID objectId) {
        return jdbc.sql("SELECT l.* " + CURRENT + "WHERE l.object_id = ? ORDER BY l.scanned_at, l.policy_id")
                .param(objectId)
                .query((rs, row) -> new ObjectLabel(rs.getObject("object_id", UUID.class),
                        rs.getObject("policy_id", UUID.class), rs.getObject("version_id", UUID.class),
                        rs.getString("classification"), strings(rs.getArray("data_types")),
                        json.readValue(rs.getString("findings"), new TypeReference<List<Integer>>() {
                        }), rs.getLong("scanned_bytes"), rs.getBoolean("truncated"),
                        rs.getObject("scan_id", UUID.class), rs.getTimestamp("scanned_at").toInstant()))
                .list();
    }

    /** The object's classification: the highest its current labels give, if any gives one. */
    public Optional<String> classificationOf(UUID objectId) {
        return jdbc.sql("SELECT l.classification " + CURRENT + "WHERE l.object_id = ? AND l.classification IS NOT NULL "
                        + "ORDER BY " + RANK + " DESC LIMIT 1")
                .param(objectId).query(String.class).optional();
    }

    Stats stats(String tenantId) {
        long total = jdbc.sql("SELECT count(*) FROM stored_object WHERE tenant_id = ?").param(tenantId)
                .query(Long.class).single();
        Map<String, Long> byClassification = new LinkedHashMap<>();
        Classification.names().forEach(name -> byClassification.put(name, 0L));
        jdbc.sql("SELECT top, count(*) AS objects FROM (SELECT l.object_id, max(" + RANK + ") AS top " + CURRENT
                        + "WHERE l.tenant_id = ? AND l.classification IS NOT NULL GROUP BY l.object_id) ranked "
                        + "GROUP BY top")
                .param(tenantId)
                .query((rs, row) -> Map.entry(Classification.values()[rs.getInt("top") - 1].value(),
                        rs.getLong("objects")))
                .list().forEach(e -> byClassification.put(e.getKey(), e.getValue()));
        long classified = byClassification.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> byDataType = new LinkedHashMap<>();
        DataType.names().forEach(name -> byDataType.put(name, 0L));
        jdbc.sql("SELECT t, count(DISTINCT l.object_id) AS objects " + CURRENT
                        + "CROSS JOIN LATERAL unnest(l.data_types) t WHERE l.tenant_id = ? GROUP BY t")
                .param(tenantId)
                .query((rs, row) -> Map.entry(rs.getString("t"), rs.getLong("objects")))
                .list().forEach(e -> byDataType.put(e.getKey(), e.getValue()));
        return new Stats(total, classified, byClassification, byDataType);
    }

    private static List<String> strings(@Nullable Array array) throws java.sql.SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
