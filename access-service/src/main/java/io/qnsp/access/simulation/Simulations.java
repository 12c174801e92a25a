package io.qnsp.access.simulation;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The simulation history of each tenant, with the stored answers of impact analyses. */
@Repository
public class Simulations {

    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };

    /** One simulation as the history shows it. */
    public record Entry(UUID simulationId, String type, String requestedBy, Instant requestedAt, Map<String, Object> summary) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;

    Simulations(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(String tenantId, Entry entry, @Nullable Object result) {
        jdbc.update("INSERT INTO access_simulation (simulation_id, tenant_id, type, requested_by, requested_at, "
                        + "summary, result) VALUES (:id, :tenant, :type, :by, :at, CAST(:summary AS jsonb), "
                        + "CAST(:result AS jsonb))",
                new MapSqlParameterSource("id", entry.simulationId()).addValue("tenant", tenantId)
                        .addValue("type", entry.type()).addValue("by", entry.requestedBy())
                        .addValue("at", Timestamp.from(entry.requestedAt()))
                        .addValue("summary", json.writeValueAsString(entry.summary()))
                        .addValue("result", result == null ? null : json.writeValueAsString(result), Types.VARCHAR));
    }

    List<Entry> page(String tenantId, @Nullable Instant since, int limit, int offset) {
        return jdbc.query("SELECT simulation_id, type, requested_by, requested_at, summary FROM access_simulation "
                        + "WHERE tenant_id = :tenant AND (CAST(:since AS timestamptz) IS NULL OR requested_at >= :since) "
                        + "ORDER BY requested_at DESC, simulation_id LIMIT :limit OFFSET :offset",
                filter(tenantId, since).addValue("limit", limit).addValue("offset", offset),
                (rs, row) -> new Entry(rs.getObject("simulation_id", UUID.class), rs.getString("type"),
                        rs.getString("requested_by"), rs.getTimestamp("requested_at").toInstant(),
                        json.readValue(rs.getString("summary"), OBJECT)));
    }

    long count(String tenantId, @Nullable Instant since) {
        Long count = jdbc.queryForObject("SELECT count(*) FROM access_simulation WHERE tenant_id = :tenant "
                + "AND (CAST(:since AS timestamptz) IS NULL OR requested_at >= :since)", filter(tenantId, since),
                Long.class);
        return count == null ? 0 : count;
    }

    /** The stored answer of an impact analysis of the tenant. */
    <T> Optional<T> result(String tenantId, UUID analysisId, Class<T> type) {
        return jdbc.queryForList("SELECT result FROM access_simulation WHERE tenant_id = :tenant "
                        + "AND simulation_id = :id AND type = 'impact'",
                new MapSqlParameterSource("tenant", tenantId).addValue("id", analysisId), String.class)
                .stream().findFirst().map(text -> json.readValue(text, type));
    }

    private static MapSqlParameterSource filter(String tenantId, @Nullable Instant since) {
        return new MapSqlParameterSource("tenant", tenantId)
                .addValue("since", since == null ? null : Timestamp.from(since), Types.TIMESTAMP);
    }
}
