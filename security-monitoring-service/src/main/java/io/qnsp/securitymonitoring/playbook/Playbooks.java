package io.qnsp.securitymonitoring.playbook;

import org.jspecify.annotations.Nullable;
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

/** Stored playbooks, their trigger occurrences, executions and step logs, always read within one tenant. */
@Repository
class Playbooks {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<List<Playbook.Action>> ACTIONS = new TypeReference<>() {
    };

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<Playbook> playbook;
    private final RowMapper<Execution> execution;

    Playbooks(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.playbook = (rs, row) -> new Playbook(rs.getObject("playbook_id", UUID.class), rs.getString("tenant_id"),
                rs.getString("name"), rs.getString("description"),
                new Playbook.Trigger(json.readValue(rs.getString("event_types"), STRINGS),
                        rs.getString("severity_threshold"),
                        json.readValue(rs.getString("filters"), TriggerFilters.class)),
                json.readValue(rs.getString("actions"), ACTIONS), rs.getBoolean("enabled"), rs.getBoolean("dry_run"),
                rs.getString("responder_client_id"), rs.getBytes("responder_secret_sealed"),
                rs.getTimestamp("created_at").toInstant());
        this.execution = (rs, row) -> new Execution(rs.getObject("execution_id", UUID.class),
                rs.getString("tenant_id"), rs.getObject("playbook_id", UUID.class), rs.getString("incident_id"),
                json.readValue(rs.getString("target_resources"), STRINGS), rs.getString("started_by"),
                rs.getBoolean("dry_run"), rs.getString("status"), rs.getTimestamp("started_at").toInstant(),
                rs.getTimestamp("finished_at") == null ? null : rs.getTimestamp("finished_at").toInstant());
    }

    /** Stores the playbook; false when the tenant already has one of that name. */
    boolean insert(Playbook p) {
        try {
            jdbc.update("INSERT INTO playbook (playbook_id, tenant_id, name, description, event_types, "
                    + "severity_threshold, filters, actions, enabled, dry_run, responder_client_id, "
                    + "responder_secret_sealed, created_at) VALUES (:id, :tenant, :name, :description, "
                    + "CAST(:eventTypes AS JSONB), :severity, CAST(:filters AS JSONB), CAST(:actions AS JSONB), "
                    + ":enabled, :dryRun, :clientId, :secret, :created)",
                    new MapSqlParameterSource("id", p.playbookId()).addValue("tenant", p.tenantId())
                            .addValue("name", p.name()).addValue("description", p.description())
                            .addValue("eventTypes", json.writeValueAsString(p.trigger().eventTypes()))
                            .addValue("severity", p.trigger().severityThreshold())
                            .addValue("filters", json.writeValueAsString(p.trigger().filters()))
                            .addValue("actions", json.writeValueAsString(p.actions()))
                            .addValue("enabled", p.enabled()).addValue("dryRun", p.dryRun())
                            .addValue("clientId", p.responderClientId()).addValue("secret", p.responderSecret())
                            .addValue("created", Timestamp.from(p.createdAt())));
            return true;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }

    Optional<Playbook> find(String tenantId, UUID playbookId) {
        return jdbc.query("SELECT * FROM playbook WHERE tenant_id = :tenant AND playbook_id = :id",
                new MapSqlParameterSource("tenant", tenantId).addValue("id", playbookId), playbook).stream()
                .findFirst();
    }

    List<Playbook> enabled(String tenantId) {
        return jdbc.query("SELECT * FROM playbook WHERE tenant_id = :tenant AND enabled ORDER BY created_at",
                new MapSqlParameterSource("tenant", tenantId), playbook);
    }

    List<Playbook> all(String tenantId) {
        return jdbc.query("SELECT * FROM playbook WHERE tenant_id = :tenant ORDER BY created_at",
                new MapSqlParameterSource("tenant", tenantId), playbook);
    }

    /** Records a matching event once (a redelivered event is not counted twice). */
    void recordOccurrence(UUID playbookId, UUID eventId, String resourceId, Instant at) {
        jdbc.update("INSERT INTO trigger_occurrence (playbook_id, event_id, resource_id, occurred_at) "
                + "VALUES (:playbook, :event, :resource, :at) ON CONFLICT DO NOTHING",
                new MapSqlParameterSource("playbook", playbookId).addValue("event", eventId)
                        .addValue("resource", resourceId).addValue("at", Timestamp.from(at)));
    }

    int occurrences(UUID playbookId, String resourceId, Instant since) {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM trigger_occurrence WHERE playbook_id = :playbook "
                + "AND resource_id = :resource AND occurred_at > :since", new MapSqlParameterSource("playbook",
                playbookId).addValue("resource", resourceId).addValue("since", Timestamp.from(since)), Integer.class);
        return count == null ? 0 : count;
    }

    /** Forgets the counted occurrences for the resource, so the next run needs as many events again. */
    void clearOccurrences(UUID playbookId, String resourceId) {
        jdbc.update("DELETE FROM trigger_occurrence WHERE playbook_id = :playbook AND resource_id = :resource",
                new MapSqlParameterSource("playbook", playbookId).addValue("resource", resourceId));
    }

    void insert(Execution e) {
        jdbc.update("INSERT INTO playbook_execution (execution_id, tenant_id, playbook_id, incident_id, "
                + "target_resources, started_by, dry_run, status, started_at) VALUES (:id, :tenant, :playbook, "
                + ":incident, CAST(:targets AS JSONB), :startedBy, :dryRun, :status, :started)",
                new MapSqlParameterSource("id", e.executionId()).addValue("tenant", e.tenantId())
                        .addValue("playbook", e.playbookId()).addValue("incident", e.incidentId())
                        .addValue("targets", json.writeValueAsString(e.targetResources()))
                        .addValue("startedBy", e.startedBy()).addValue("dryRun", e.dryRun())
                        .addValue("status", e.status()).addValue("started", Timestamp.from(e.startedAt())));
    }

    Optional<Execution> findExecution(String tenantId, UUID executionId) {
        return jdbc.query("SELECT * FROM playbook_execution WHERE tenant_id = :tenant AND execution_id = :id",
                new MapSqlParameterSource("tenant", tenantId).addValue("id", executionId), execution).stream()
                .findFirst();
    }

    /** Moves the execution from one status to another; false when it was no longer in the first. */
    boolean changeStatus(UUID executionId, String from, String to, @Nullable Instant finishedAt) {
        return jdbc.update("UPDATE playbook_execution SET status = :to, finished_at = :finished "
                + "WHERE execution_id = :id AND status = :from", new MapSqlParameterSource("id", executionId)
                .addValue("from", from).addValue("to", to)
                .addValue("finished", finishedAt == null ? null : Timestamp.from(finishedAt))) == 1;
    }

    void insert(UUID executionId, Execution.Step s) {
        jdbc.update("INSERT INTO execution_step (execution_id, step, action_type, target, outcome, detail, "
                + "recorded_at) VALUES (:id, :step, :type, :target, :outcome, :detail, :at)",
                new MapSqlParameterSource("id", executionId).addValue("step", s.step())
                        .addValue("type", s.actionType()).addValue("target", s.target())
                        .addValue("outcome", s.outcome()).addValue("detail", s.detail())
                        .addValue("at", Timestamp.from(s.recordedAt())));
    }

    List<Execution.Step> steps(UUID executionId) {
        return jdbc.query("SELECT * FROM execution_step WHERE execution_id = :id ORDER BY step",
                new MapSqlParameterSource("id", executionId), (rs, row) -> new Execution.Step(rs.getInt("step"),
                        rs.getString("action_type"), rs.getString("target"), rs.getString("outcome"),
                        rs.getString("detail"), rs.getTimestamp("recorded_at").toInstant()));
    }
}
