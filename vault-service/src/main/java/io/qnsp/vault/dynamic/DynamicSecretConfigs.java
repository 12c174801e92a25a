package io.qnsp.vault.dynamic;

import io.qnsp.common.kms.Envelopes;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The stored dynamic secret configurations, always read within one tenant. */
@Repository
class DynamicSecretConfigs {

    private static final String COLUMNS = "config_id, tenant_id, name, type, backend_type, sealed_backend, "
            + "backend_key, username_template, role_template, default_ttl_ms, max_ttl_ms, created_by, created_at";
    private static final RowMapper<DynamicSecretConfig> CONFIG = (rs, row) -> new DynamicSecretConfig(
            rs.getObject("config_id", UUID.class), rs.getString("tenant_id"), rs.getString("name"),
            rs.getString("type"), BackendType.of(rs.getString("backend_type")),
            new Envelopes.Sealed(rs.getBytes("sealed_backend"), rs.getString("backend_key")),
            rs.getString("username_template"), rs.getString("role_template"),
            Duration.ofMillis(rs.getLong("default_ttl_ms")), Duration.ofMillis(rs.getLong("max_ttl_ms")),
            rs.getString("created_by"), rs.getTimestamp("created_at").toInstant());

    private final NamedParameterJdbcTemplate jdbc;

    DynamicSecretConfigs(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @return false when the tenant has a config of that name already */
    boolean insert(DynamicSecretConfig c) {
        return jdbc.update("INSERT INTO dynamic_secret_config (" + COLUMNS + ") VALUES (:id, :tenant, :name, :type, "
                + ":backendType, :sealed, :key, :usernameTemplate, :roleTemplate, :defaultTtl, :maxTtl, :createdBy, "
                + ":createdAt) ON CONFLICT (tenant_id, name) DO NOTHING", new MapSqlParameterSource("id", c.configId())
                .addValue("tenant", c.tenantId()).addValue("name", c.name()).addValue("type", c.type())
                .addValue("backendType", c.backendType().value())
                .addValue("sealed", c.sealedBackend().ciphertext()).addValue("key", c.sealedBackend().wrappedKey())
                .addValue("usernameTemplate", c.usernameTemplate()).addValue("roleTemplate", c.roleTemplate())
                .addValue("defaultTtl", c.defaultTtl().toMillis()).addValue("maxTtl", c.maxTtl().toMillis())
                .addValue("createdBy", c.createdBy()).addValue("createdAt", Timestamp.from(c.createdAt()))) > 0;
    }

    boolean nameTaken(String tenantId, String name) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM dynamic_secret_config "
                + "WHERE tenant_id = :tenant AND name = :name)", Map.of("tenant", tenantId, "name", name),
                Boolean.class));
    }

    Optional<DynamicSecretConfig> find(String tenantId, UUID configId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM dynamic_secret_config WHERE tenant_id = :tenant "
                        + "AND config_id = :id", new MapSqlParameterSource("tenant", tenantId).addValue("id", configId),
                CONFIG).stream().findFirst();
    }

    /** Any tenant's config, for the sweeper: it acts on leases of every tenant. */
    Optional<DynamicSecretConfig> find(UUID configId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM dynamic_secret_config WHERE config_id = :id",
                new MapSqlParameterSource("id", configId), CONFIG).stream().findFirst();
    }

    /** The tenant's configs, oldest first, each with the number of its leases active at {@code now}. */
    List<ListedConfig> list(String tenantId, Instant now) {
        return jdbc.query("SELECT " + COLUMNS + ", (SELECT count(*) FROM dynamic_secret_lease l WHERE l.config_id = c.config_id "
                        + "AND l.state IN ('active', 'revoking') AND l.expires_at > :now) AS active_leases "
                        + "FROM dynamic_secret_config c WHERE c.tenant_id = :tenant ORDER BY c.created_at, c.config_id",
                new MapSqlParameterSource("tenant", tenantId).addValue("now", Timestamp.from(now)),
                (rs, row) -> new ListedConfig(CONFIG.mapRow(rs, row), rs.getLong("active_leases")));
    }

    /** The tenant's configs by type. */
    Map<String, Long> countByType(String tenantId) {
        Map<String, Long> counts = new java.util.HashMap<>();
        jdbc.query("SELECT type, count(*) AS n FROM dynamic_secret_config WHERE tenant_id = :tenant GROUP BY type",
                Map.of("tenant", tenantId), rs -> {
                    counts.put(rs.getString("type"), rs.getLong("n"));
                });
        return counts;
    }
}
