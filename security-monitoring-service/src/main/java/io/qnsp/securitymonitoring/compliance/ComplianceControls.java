package io.qnsp.securitymonitoring.compliance;

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
import java.util.UUID;

/** Stored controls and assessments, always read within one tenant. */
@Repository
class ComplianceControls {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<ComplianceControl> control;

    ComplianceControls(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.control = (rs, row) -> new ComplianceControl(rs.getObject("control_uuid", UUID.class),
                rs.getString("tenant_id"), rs.getString("control_id"), rs.getString("framework"),
                rs.getString("name"), rs.getString("description"),
                json.readValue(rs.getString("requirements"), STRINGS),
                json.readValue(rs.getString("automated_checks"), STRINGS), rs.getTimestamp("created_at").toInstant());
    }

    /** Stores the control; false when the tenant has one of that id in the framework already. */
    boolean insert(ComplianceControl c) {
        try {
            jdbc.update("INSERT INTO compliance_control (control_uuid, tenant_id, control_id, framework, name, "
                    + "description, requirements, automated_checks, created_at) VALUES (:id, :tenant, :controlId, "
                    + ":framework, :name, :description, CAST(:requirements AS JSONB), CAST(:checks AS JSONB), "
                    + ":created)", new MapSqlParameterSource("id", c.controlUuid()).addValue("tenant", c.tenantId())
                    .addValue("controlId", c.controlId()).addValue("framework", c.framework())
                    .addValue("name", c.name()).addValue("description", c.description())
                    .addValue("requirements", json.writeValueAsString(c.requirements()))
                    .addValue("checks", json.writeValueAsString(c.automatedChecks()))
                    .addValue("created", Timestamp.from(c.createdAt())));
            return true;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }

    List<ComplianceControl> all(String tenantId) {
        return jdbc.query("SELECT * FROM compliance_control WHERE tenant_id = :tenant ORDER BY framework, control_id",
                new MapSqlParameterSource("tenant", tenantId), control);
    }

    void insertAssessment(UUID assessmentId, String tenantId, double overallScore, Object result, Instant at) {
        jdbc.update("INSERT INTO compliance_assessment (assessment_id, tenant_id, overall_score, result, assessed_at) "
                + "VALUES (:id, :tenant, :score, CAST(:result AS JSONB), :at)", new MapSqlParameterSource("id",
                assessmentId).addValue("tenant", tenantId).addValue("score", overallScore)
                .addValue("result", json.writeValueAsString(result)).addValue("at", Timestamp.from(at)));
    }
}
