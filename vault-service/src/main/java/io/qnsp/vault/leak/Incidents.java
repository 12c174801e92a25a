package io.qnsp.vault.leak;

import io.qnsp.vault.leak.detect.Severity;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The stored incidents and their timelines, always read within one tenant. */
@Repository
class Incidents {

    private static final String COLUMNS = "incident_id, tenant_id, secret_id, secret_version, source, location, "
            + "severity, status, details::text AS details, resolution, detected_at, created_at, updated_at, scan_id";

    /** Where a detected value was found, for one incident per value and place. */
    record Sighting(byte[] valueFingerprint, String locationKey) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<Incident> incidentMapper;

    Incidents(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.incidentMapper = (rs, row) -> new Incident(rs.getObject("incident_id", UUID.class),
                rs.getString("tenant_id"), rs.getString("secret_id"), (Integer) rs.getObject("secret_version"),
                rs.getString("source"), rs.getString("location"), Severity.fromApiName(rs.getString("severity")),
                IncidentStatus.fromApiName(rs.getString("status")), details(rs.getString("details")),
                rs.getString("resolution"), rs.getTimestamp("detected_at").toInstant(),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                rs.getObject("scan_id", UUID.class));
    }

    void insert(Incident incident) {
        jdbc.update(insertSql(""), values(incident).addValue("fingerprint", null).addValue("locationKey", null));
    }

    /** Inserts the incident unless one of the tenant's already has the sighting; whether it was inserted. */
    boolean insertUnlessSeen(Incident incident, Sighting sighting) {
        return jdbc.update(insertSql(" ON CONFLICT (tenant_id, value_fingerprint, location_key) "
                        + "WHERE value_fingerprint IS NOT NULL DO NOTHING"),
                values(incident).addValue("fingerprint", sighting.valueFingerprint())
                        .addValue("locationKey", sighting.locationKey())) > 0;
    }

    Optional<UUID> findSighting(String tenantId, Sighting sighting) {
        return jdbc.queryForList("SELECT incident_id FROM leak_incident WHERE tenant_id = :tenant "
                        + "AND value_fingerprint = :fingerprint AND location_key = :locationKey",
                new MapSqlParameterSource("tenant", tenantId).addValue("fingerprint", sighting.valueFingerprint())
                        .addValue("locationKey", sighting.locationKey()), UUID.class).stream().findFirst();
    }

    Optional<Incident> find(String tenantId, UUID incidentId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM leak_incident WHERE incident_id = :id AND tenant_id = :tenant",
                new MapSqlParameterSource("id", incidentId).addValue("tenant", tenantId), incidentMapper)
                .stream().findFirst();
    }

    /** The same, locked until the transaction ends, so that status changes happen one at a time. */
    Optional<Incident> findForUpdate(String tenantId, UUID incidentId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM leak_incident WHERE incident_id = :id AND tenant_id = :tenant "
                        + "FOR UPDATE", new MapSqlParameterSource("id", incidentId).addValue("tenant", tenantId),
                incidentMapper).stream().findFirst();
    }

    /** The tenant's incidents matching the filters given, most recently detected first. */
    List<Incident> list(String tenantId, @Nullable IncidentStatus status, @Nullable Severity severity,
                        @Nullable Instant since, @Nullable String secretId, boolean activeOnly, int limit) {
        StringBuilder where = new StringBuilder("WHERE tenant_id = :tenant");
        MapSqlParameterSource parameters = new MapSqlParameterSource("tenant", tenantId).addValue("limit", limit);
        if (status != null) {
            where.append(" AND status = :status");
            parameters.addValue("status", status.apiName());
        }
        if (activeOnly) {
            where.append(" AND status IN ('open', 'investigating')");
        }
        if (severity != null) {
            where.append(" AND severity = :severity");
            parameters.addValue("severity", severity.apiName());
        }
        if (since != null) {
            where.append(" AND detected_at >= :since");
            parameters.addValue("since", Timestamp.from(since));
        }
        if (secretId != null) {
            where.append(" AND secret_id = :secretId");
            parameters.addValue("secretId", secretId);
        }
        return jdbc.query("SELECT " + COLUMNS + " FROM leak_incident " + where
                + " ORDER BY detected_at DESC, created_at DESC, incident_id LIMIT :limit", parameters, incidentMapper);
    }

    void updateStatus(UUID incidentId, IncidentStatus status, @Nullable String resolution, Instant now) {
        jdbc.update("UPDATE leak_incident SET status = :status, resolution = COALESCE(:resolution, resolution), "
                        + "updated_at = :now WHERE incident_id = :id",
                new MapSqlParameterSource("id", incidentId).addValue("status", status.apiName())
                        .addValue("resolution", resolution).addValue("now", Timestamp.from(now)));
    }

    void touch(UUID incidentId, Instant now) {
        jdbc.update("UPDATE leak_incident SET updated_at = :now WHERE incident_id = :id",
                new MapSqlParameterSource("id", incidentId).addValue("now", Timestamp.from(now)));
    }

    void addEvent(UUID incidentId, TimelineEntry entry) {
        jdbc.update("INSERT INTO leak_incident_event (incident_id, occurred_at, event, actor, from_status, to_status, "
                        + "action, result, notes, scan_id) VALUES (:id, :at, :event, :actor, :from, :to, :action, "
                        + ":result, :notes, :scanId)",
                new MapSqlParameterSource("id", incidentId).addValue("at", Timestamp.from(entry.at()))
                        .addValue("event", entry.event()).addValue("actor", entry.actor())
                        .addValue("from", entry.fromStatus()).addValue("to", entry.toStatus())
                        .addValue("action", entry.action()).addValue("result", entry.result())
                        .addValue("notes", entry.notes()).addValue("scanId", entry.scanId()));
    }

    boolean seenBy(UUID incidentId, UUID scanId) {
        Integer count = jdbc.queryForObject("SELECT count(*) FROM leak_incident_event WHERE incident_id = :id "
                        + "AND scan_id = :scanId",
                new MapSqlParameterSource("id", incidentId).addValue("scanId", scanId), Integer.class);
        return count != null && count > 0;
    }

    List<TimelineEntry> timeline(UUID incidentId) {
        return jdbc.query("SELECT occurred_at, event, actor, from_status, to_status, action, result, notes, scan_id "
                        + "FROM leak_incident_event WHERE incident_id = :id ORDER BY event_id",
                new MapSqlParameterSource("id", incidentId), (rs, row) -> new TimelineEntry(
                        rs.getTimestamp("occurred_at").toInstant(), rs.getString("event"), rs.getString("actor"),
                        rs.getString("from_status"), rs.getString("to_status"), rs.getString("action"),
                        rs.getString("result"), rs.getString("notes"), rs.getObject("scan_id", UUID.class)));
    }

    IncidentCounts counts(String tenantId) {
        MapSqlParameterSource tenant = new MapSqlParameterSource("tenant", tenantId);
        return new IncidentCounts(countBy("status", tenant), countBy("severity", tenant), countBy("source", tenant));
    }

    private Map<String, Long> countBy(String column, MapSqlParameterSource tenant) {
        Map<String, Long> counts = new LinkedHashMap<>();
        jdbc.query("SELECT " + column + " AS k, count(*) AS n FROM leak_incident WHERE tenant_id = :tenant GROUP BY "
                + column + " ORDER BY " + column, tenant, rs -> {
            counts.put(rs.getString("k"), rs.getLong("n"));
        });
        return counts;
    }

    private static String insertSql(String onConflict) {
        return "INSERT INTO leak_incident (incident_id, tenant_id, secret_id, secret_version, source, location, "
                + "severity, status, details, resolution, detected_at, created_at, updated_at, scan_id, "
                + "value_fingerprint, location_key) VALUES (:id, :tenant, :secretId, :secretVersion, :source, "
                + ":location, :severity, :status, CAST(:details AS jsonb), :resolution, :detectedAt, :createdAt, "
                + ":updatedAt, :scanId, :fingerprint, :locationKey)" + onConflict;
    }

    private MapSqlParameterSource values(Incident incident) {
        return new MapSqlParameterSource("id", incident.incidentId()).addValue("tenant", incident.tenantId())
                .addValue("secretId", incident.secretId()).addValue("secretVersion", incident.secretVersion())
                .addValue("source", incident.source()).addValue("location", incident.location())
                .addValue("severity", incident.severity().apiName()).addValue("status", incident.status().apiName())
                .addValue("details", json.writeValueAsString(incident.details()))
                .addValue("resolution", incident.resolution())
                .addValue("detectedAt", Timestamp.from(incident.detectedAt()))
                .addValue("createdAt", Timestamp.from(incident.createdAt()))
                .addValue("updatedAt", Timestamp.from(incident.updatedAt()))
                .addValue("scanId", incident.scanId());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> details(String text) {
        return json.readValue(text, LinkedHashMap.class);
    }
}
