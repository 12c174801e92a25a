package io.qnsp.vault.leak;

import io.qnsp.vault.leak.detect.PatternType;
import io.qnsp.vault.leak.detect.Severity;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The stored leak detection policies with their patterns, always read within one tenant. */
@Repository
class LeakPolicies {

    private static final String COLUMNS = "policy_id, tenant_id, name, description, enabled, include_default_rules, "
            + "scan_targets, on_detection, generator, notification_channels, created_at, updated_at";

    private final NamedParameterJdbcTemplate jdbc;

    LeakPolicies(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @throws LeakPolicyNameTaken when the tenant has a policy of that name */
    void insert(LeakPolicy policy) {
        try {
            jdbc.update("INSERT INTO leak_policy (" + COLUMNS + ") VALUES (:id, :tenant, :name, :description, "
                    + ":enabled, :defaults, " + TextArrays.SQL.formatted("targets") + ", :action, :generator, "
                    + TextArrays.SQL.formatted("channels") + ", :createdAt, :updatedAt)",
                    new MapSqlParameterSource("id", policy.policyId()).addValue("tenant", policy.tenantId())
                            .addValue("name", policy.name()).addValue("description", policy.description())
                            .addValue("enabled", policy.enabled()).addValue("defaults", policy.includeDefaultRules())
                            .addValue("targets", TextArrays.join(policy.scanTargets().stream()
                                    .map(ScanTarget::apiName).toList()))
                            .addValue("action", policy.onDetection().apiName())
                            .addValue("generator", policy.generator())
                            .addValue("channels", TextArrays.join(policy.notificationChannels()))
                            .addValue("createdAt", Timestamp.from(policy.createdAt()))
                            .addValue("updatedAt", Timestamp.from(policy.updatedAt())));
        } catch (DuplicateKeyException e) {
            throw new LeakPolicyNameTaken();
        }
        List<SecretPattern> patterns = policy.secretPatterns();
        for (int i = 0; i < patterns.size(); i++) {
            jdbc.update("INSERT INTO leak_policy_pattern (policy_id, position, type, pattern, severity) "
                            + "VALUES (:id, :position, :type, :pattern, :severity)",
                    new MapSqlParameterSource("id", policy.policyId()).addValue("position", i)
                            .addValue("type", patterns.get(i).type().apiName())
                            .addValue("pattern", patterns.get(i).pattern())
                            .addValue("severity", patterns.get(i).severity().apiName()));
        }
    }

    boolean delete(String tenantId, UUID policyId) {
        return jdbc.update("DELETE FROM leak_policy WHERE policy_id = :id AND tenant_id = :tenant",
                new MapSqlParameterSource("id", policyId).addValue("tenant", tenantId)) > 0;
    }

    Optional<LeakPolicy> find(String tenantId, UUID policyId) {
        return select("WHERE tenant_id = :tenant AND policy_id = :id",
                new MapSqlParameterSource("tenant", tenantId).addValue("id", policyId)).stream().findFirst();
    }

    /** The tenant's policies, oldest first. */
    List<LeakPolicy> list(String tenantId) {
        return select("WHERE tenant_id = :tenant", new MapSqlParameterSource("tenant", tenantId));
    }

    /** Those of the ids the tenant has, in the order given. */
    List<LeakPolicy> findAll(String tenantId, Collection<UUID> policyIds) {
        if (policyIds.isEmpty()) {
            return List.of();
        }
        Map<UUID, LeakPolicy> byId = new LinkedHashMap<>();
        select("WHERE tenant_id = :tenant AND policy_id IN (:ids)",
                new MapSqlParameterSource("tenant", tenantId).addValue("ids", policyIds))
                .forEach(p -> byId.put(p.policyId(), p));
        return policyIds.stream().filter(byId::containsKey).map(byId::get).toList();
    }

    private List<LeakPolicy> select(String where, MapSqlParameterSource parameters) {
        List<LeakPolicy> policies = jdbc.query("SELECT " + COLUMNS + " FROM leak_policy " + where
                + " ORDER BY created_at, policy_id", parameters, (rs, row) -> policy(rs));
        if (policies.isEmpty()) {
            return policies;
        }
        Map<UUID, List<SecretPattern>> patterns = new LinkedHashMap<>();
        jdbc.query("SELECT policy_id, type, pattern, severity FROM leak_policy_pattern WHERE policy_id IN (:ids) "
                        + "ORDER BY policy_id, position",
                new MapSqlParameterSource("ids", policies.stream().map(LeakPolicy::policyId).toList()),
                rs -> {
                    patterns.computeIfAbsent(rs.getObject("policy_id", UUID.class), id -> new ArrayList<>())
                            .add(new SecretPattern(PatternType.fromApiName(rs.getString("type")),
                                    rs.getString("pattern"), Severity.fromApiName(rs.getString("severity"))));
                });
        return policies.stream().map(p -> new LeakPolicy(p.policyId(), p.tenantId(), p.name(), p.description(),
                p.enabled(), p.includeDefaultRules(), List.copyOf(patterns.getOrDefault(p.policyId(), List.of())),
                p.scanTargets(), p.onDetection(), p.generator(), p.notificationChannels(), p.createdAt(),
                p.updatedAt())).toList();
    }

    private static LeakPolicy policy(ResultSet rs) throws SQLException {
        return new LeakPolicy(rs.getObject("policy_id", UUID.class), rs.getString("tenant_id"), rs.getString("name"),
                rs.getString("description"), rs.getBoolean("enabled"), rs.getBoolean("include_default_rules"),
                List.of(), TextArrays.read(rs.getArray("scan_targets")).stream().map(ScanTarget::fromApiName).toList(),
                DetectionAction.fromApiName(rs.getString("on_detection")), rs.getString("generator"),
                TextArrays.read(rs.getArray("notification_channels")), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
