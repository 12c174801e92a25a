package io.qnsp.ai.bias;

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

/** The stored evaluations with their datasets and results; tenant-scoped except for the runner's own reads. */
@Repository
class BiasEvaluations {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final String COLUMNS = "evaluation_id, tenant_id, model_id, evaluation_type, dataset_source, "
            + "sample_size, protected_attributes, status, created_at, started_at, completed_at, metric_value, "
            + "result::text AS result, failure";

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<BiasEvaluation> evaluation;

    BiasEvaluations(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.evaluation = (rs, row) -> new BiasEvaluation(rs.getObject("evaluation_id", UUID.class),
                rs.getString("tenant_id"), rs.getObject("model_id", UUID.class), rs.getString("evaluation_type"),
                rs.getString("dataset_source"), (Integer) rs.getObject("sample_size"),
                json.readValue(rs.getString("protected_attributes"), STRINGS), rs.getString("status"),
                rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("completed_at")), (Double) rs.getObject("metric_value"),
                rs.getString("result"), rs.getString("failure"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    void insert(BiasEvaluation e, String csv) {
        jdbc.update("INSERT INTO bias_evaluation (evaluation_id, tenant_id, model_id, evaluation_type, dataset_source, "
                + "dataset_csv, sample_size, protected_attributes, status, created_at) VALUES (:id, :tenant, :model, "
                + ":type, :source, :csv, :sample, CAST(:attributes AS JSONB), :status, :created)",
                new MapSqlParameterSource("id", e.evaluationId()).addValue("tenant", e.tenantId())
                        .addValue("model", e.modelId()).addValue("type", e.evaluationType())
                        .addValue("source", e.datasetSource()).addValue("csv", csv)
                        .addValue("sample", e.sampleSize())
                        .addValue("attributes", json.writeValueAsString(e.protectedAttributes()))
                        .addValue("status", e.status()).addValue("created", Timestamp.from(e.createdAt())));
    }

    Optional<BiasEvaluation> find(String tenantId, UUID evaluationId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM bias_evaluation WHERE tenant_id = :tenant "
                        + "AND evaluation_id = :id",
                new MapSqlParameterSource("tenant", tenantId).addValue("id", evaluationId), evaluation)
                .stream().findFirst();
    }

    /** Moves a created evaluation to running; false when it is not (any longer) created. */
    boolean start(String tenantId, UUID evaluationId, Instant at) {
        return jdbc.update("UPDATE bias_evaluation SET status = 'running', started_at = :at WHERE tenant_id = :tenant "
                + "AND evaluation_id = :id AND status = 'created'", new MapSqlParameterSource("tenant", tenantId)
                .addValue("id", evaluationId).addValue("at", Timestamp.from(at))) == 1;
    }

    /** A running evaluation with its dataset, for the runner. */
    record Work(BiasEvaluation evaluation, String csv) {
    }

    Optional<Work> running(UUID evaluationId) {
        return jdbc.query("SELECT " + COLUMNS + ", dataset_csv FROM bias_evaluation WHERE evaluation_id = :id "
                        + "AND status = 'running'", new MapSqlParameterSource("id", evaluationId),
                (rs, row) -> new Work(evaluation.mapRow(rs, row), rs.getString("dataset_csv"))).stream().findFirst();
    }

    List<UUID> allRunning() {
        return jdbc.queryForList("SELECT evaluation_id FROM bias_evaluation WHERE status = 'running'",
                new MapSqlParameterSource(), UUID.class);
    }

    void complete(UUID evaluationId, double value, String result, Instant at) {
        jdbc.update("UPDATE bias_evaluation SET status = 'completed', metric_value = :value, "
                + "result = CAST(:result AS JSONB), completed_at = :at WHERE evaluation_id = :id AND status = 'running'",
                new MapSqlParameterSource("id", evaluationId).addValue("value", value).addValue("result", result)
                        .addValue("at", Timestamp.from(at)));
    }

    void fail(UUID evaluationId, String reason, Instant at) {
        jdbc.update("UPDATE bias_evaluation SET status = 'failed', failure = :reason, completed_at = :at "
                + "WHERE evaluation_id = :id AND status = 'running'", new MapSqlParameterSource("id", evaluationId)
                .addValue("reason", reason).addValue("at", Timestamp.from(at)));
    }

    List<BiasEvaluation> recent(String tenantId, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM bias_evaluation WHERE tenant_id = :tenant "
                + "ORDER BY created_at DESC, evaluation_id LIMIT :limit",
                new MapSqlParameterSource("tenant", tenantId).addValue("limit", limit), evaluation);
    }

    /** The latest completed evaluation of each model and evaluation type. */
    List<BiasEvaluation> latestCompleted(String tenantId) {
        return jdbc.query("SELECT DISTINCT ON (model_id, evaluation_type) " + COLUMNS + " FROM bias_evaluation "
                + "WHERE tenant_id = :tenant AND status = 'completed' "
                + "ORDER BY model_id, evaluation_type, completed_at DESC, evaluation_id",
                new MapSqlParameterSource("tenant", tenantId), evaluation);
    }
}
