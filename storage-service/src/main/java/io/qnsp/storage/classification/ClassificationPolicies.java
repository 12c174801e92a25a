package io.qnsp.storage.classification;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Classification policies, their rules kept as JSON; each query scoped by tenant. */
@Repository
class ClassificationPolicies {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final RowMapper<ClassificationPolicy> policy;

    ClassificationPolicies(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.policy = (rs, row) -> new ClassificationPolicy(rs.getObject("policy_id", UUID.class),
                rs.getString("tenant_id"), rs.getString("name"), rs.getString("description"),
                rules(rs.getString("rules")), rs.getBoolean("auto_apply"), rs.getString("created_by"),
                rs.getTimestamp("created_at").toInstant());
    }

    /** Inserts unless the tenant has a policy of that name; whether it did. */
    boolean insert(ClassificationPolicy p) {
        return jdbc.sql("""
                        INSERT INTO classification_policy (policy_id, tenant_id, name, description, rules, auto_apply,
                            created_by, created_at)
                        VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?) ON CONFLICT (tenant_id, name) DO NOTHING""")
                .params(p.policyId(), p.tenantId(), p.name(), p.description(), write(p.rules()), p.autoApply(),
                        p.createdBy(), Timestamp.from(p.createdAt()))
                .update() == 1;
    }

    List<ClassificationPolicy> all(String tenantId) {
        return jdbc.sql("SELECT * FROM classification_policy WHERE tenant_id = ? ORDER BY created_at, name")
                .param(tenantId).query(policy).list();
    }

    List<ClassificationPolicy> find(String tenantId, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT * FROM classification_policy WHERE tenant_id = :tenant AND policy_id IN (:ids) "
                        + "ORDER BY created_at")
                .param("tenant", tenantId).param("ids", ids).query(policy).list();
    }

    List<ClassificationPolicy> autoApplied(String tenantId) {
        return jdbc.sql("SELECT * FROM classification_policy WHERE tenant_id = ? AND auto_apply ORDER BY created_at")
                .param(tenantId).query(policy).list();
    }

    private String write(List<Rule> rules) {
        return json.writeValueAsString(rules.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("detector", r.detector() == null ? null : r.detector().value());
            m.put("pattern", r.pattern());
            m.put("classification", r.classification().value());
            m.put("dataTypes", r.dataTypes().stream().map(DataType::value).toList());
            return m;
        }).toList());
    }

    private List<Rule> rules(String text) {
        List<Map<String, Object>> stored = json.readValue(text, new TypeReference<>() {
        });
        return stored.stream().map(m -> new Rule(
                m.get("detector") == null ? null : Detector.of((String) m.get("detector")).orElseThrow(),
                (String) m.get("pattern"),
                Classification.of((String) m.get("classification")).orElseThrow(),
                ((List<?>) m.get("dataTypes")).stream().map(t -> DataType.of((String) t).orElseThrow()).toList()))
                .toList();
    }
}
