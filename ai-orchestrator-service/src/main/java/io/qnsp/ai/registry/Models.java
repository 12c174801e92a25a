package io.qnsp.ai.registry;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The stored models and deployments, always read within one tenant. */
@Repository
class Models {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<Model> model;

    Models(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.model = (rs, row) -> new Model(rs.getObject("model_id", UUID.class), rs.getString("tenant_id"),
                rs.getString("name"), rs.getString("version"), rs.getString("type"), rs.getString("provider"),
                rs.getString("model_path"), rs.getString("config_path"), rs.getString("description"),
                json.readValue(rs.getString("tags"), STRINGS), rs.getString("license"), rs.getString("status"),
                rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("activated_at")),
                instant(rs.getTimestamp("deprecated_at")), rs.getString("deprecation_reason"),
                rs.getObject("replacement_model_id", UUID.class));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** Stores a new model; a name and version the tenant already has is {@link ModelVersionTaken}. */
    void insert(Model m) {
        try {
            jdbc.update("INSERT INTO model (model_id, tenant_id, name, version, type, provider, model_path, "
                    + "config_path, description, tags, license, status, created_at) VALUES (:id, :tenant, :name, "
                    + ":version, :type, :provider, :modelPath, :configPath, :description, CAST(:tags AS JSONB), "
                    + ":license, :status, :created)", new MapSqlParameterSource("id", m.modelId())
                    .addValue("tenant", m.tenantId()).addValue("name", m.name()).addValue("version", m.version())
                    .addValue("type", m.type()).addValue("provider", m.provider())
                    .addValue("modelPath", m.modelPath()).addValue("configPath", m.configPath())
                    .addValue("description", m.description()).addValue("tags", json.writeValueAsString(m.tags()))
                    .addValue("license", m.license()).addValue("status", m.status())
                    .addValue("created", Timestamp.from(m.createdAt())));
        } catch (DuplicateKeyException e) {
            throw new ModelVersionTaken(m.name(), m.version());
        }
    }

    /** The tenant's model, locked for the rest of the transaction when {@code forUpdate}. */
    Optional<Model> find(String tenantId, UUID modelId, boolean forUpdate) {
        return jdbc.query("SELECT * FROM model WHERE tenant_id = :tenant AND model_id = :id"
                        + (forUpdate ? " FOR UPDATE" : ""),
                new MapSqlParameterSource("tenant", tenantId).addValue("id", modelId), model).stream().findFirst();
    }

    List<Model> all(String tenantId) {
        return jdbc.query("SELECT * FROM model WHERE tenant_id = :tenant ORDER BY created_at, model_id",
                new MapSqlParameterSource("tenant", tenantId), model);
    }

    void activate(UUID modelId, Instant at) {
        jdbc.update("UPDATE model SET status = 'active', activated_at = :at WHERE model_id = :id",
                new MapSqlParameterSource("id", modelId).addValue("at", Timestamp.from(at)));
    }

    void deprecate(UUID modelId, Instant at, String reason, UUID replacement) {
        jdbc.update("UPDATE model SET status = 'deprecated', deprecated_at = :at, deprecation_reason = :reason, "
                + "replacement_model_id = :replacement WHERE model_id = :id", new MapSqlParameterSource("id", modelId)
                .addValue("at", Timestamp.from(at)).addValue("reason", reason).addValue("replacement", replacement));
    }

    void insert(Deployment d) {
        jdbc.update("INSERT INTO deployment (deployment_id, tenant_id, model_id, version, config, status, created_at) "
                + "VALUES (:id, :tenant, :model, :version, CAST(:config AS JSONB), :status, :created)",
                new MapSqlParameterSource("id", d.deploymentId()).addValue("tenant", d.tenantId())
                        .addValue("model", d.modelId()).addValue("version", d.version())
                        .addValue("config", json.writeValueAsString(d.config())).addValue("status", d.status())
                        .addValue("created", Timestamp.from(d.createdAt())));
    }

    boolean hasDeployment(String tenantId, UUID modelId, UUID deploymentId) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM deployment WHERE tenant_id = :tenant "
                + "AND model_id = :model AND deployment_id = :deployment", new MapSqlParameterSource("tenant", tenantId)
                .addValue("model", modelId).addValue("deployment", deploymentId), Long.class);
        return count != null && count > 0;
    }

    long deploymentCount(String tenantId, UUID modelId) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM deployment WHERE tenant_id = :tenant "
                + "AND model_id = :model", new MapSqlParameterSource("tenant", tenantId).addValue("model", modelId),
                Long.class);
        return count == null ? 0 : count;
    }
}
