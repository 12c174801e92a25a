package io.qnsp.kms.byohsm;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The stored HSM connections and the log of their operations, always read within one tenant. */
@Repository
class HsmConnections {

    private static final String COLUMNS = "connection_id, tenant_id, name, provider, status, endpoint, port, library, "
            + "slot, slot_list_index, sealed_pin, credentials_type, sealed_credentials, metadata, "
            + "last_health_check_at, created_at, updated_at";
    /** The health metrics look at this many of the latest operations. */
    private static final int HEALTH_WINDOW = 100;

    private final NamedParameterJdbcTemplate jdbc;

    HsmConnections(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(HsmConnection c) {
        jdbc.update("INSERT INTO hsm_connection (" + COLUMNS + ") VALUES (:id, :tenant, :name, :provider, :status, "
                + ":endpoint, :port, :library, :slot, :slotIndex, :pin, :credentialsType, :credentials, :metadata, "
                + ":checkedAt, :createdAt, :updatedAt)", values(c));
    }

    void update(HsmConnection c) {
        jdbc.update("UPDATE hsm_connection SET name = :name, status = :status, endpoint = :endpoint, port = :port, "
                + "library = :library, slot = :slot, slot_list_index = :slotIndex, sealed_pin = :pin, "
                + "credentials_type = :credentialsType, sealed_credentials = :credentials, metadata = :metadata, "
                + "last_health_check_at = :checkedAt, updated_at = :updatedAt "
                + "WHERE connection_id = :id AND tenant_id = :tenant", values(c));
    }

    boolean delete(String tenantId, UUID connectionId) {
        return jdbc.update("DELETE FROM hsm_connection WHERE tenant_id = :tenant AND connection_id = :id",
                new MapSqlParameterSource("tenant", tenantId).addValue("id", connectionId)) > 0;
    }

    Optional<HsmConnection> find(String tenantId, UUID connectionId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM hsm_connection WHERE tenant_id = :tenant "
                        + "AND connection_id = :id", new MapSqlParameterSource("tenant", tenantId)
                        .addValue("id", connectionId), CONNECTION).stream().findFirst();
    }

    List<HsmConnection> list(String tenantId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM hsm_connection WHERE tenant_id = :tenant "
                + "ORDER BY created_at, connection_id", new MapSqlParameterSource("tenant", tenantId), CONNECTION);
    }

    void record(HsmOperation o) {
        jdbc.update("INSERT INTO hsm_operation (operation_id, connection_id, type, key_id, status, latency_ms, error, "
                        + "created_at) VALUES (:id, :connection, :type, :key, :status, :latency, :error, :at)",
                new MapSqlParameterSource("id", o.operationId()).addValue("connection", o.connectionId())
                        .addValue("type", o.type()).addValue("key", o.keyId(), Types.OTHER)
                        .addValue("status", o.status()).addValue("latency", o.latencyMs())
                        .addValue("error", o.error(), Types.VARCHAR).addValue("at", Timestamp.from(o.timestamp())));
    }

    /** The connection's operations, newest first. */
    List<HsmOperation> operations(UUID connectionId, int limit) {
        return jdbc.query("SELECT operation_id, connection_id, type, key_id, status, latency_ms, error, created_at "
                        + "FROM hsm_operation WHERE connection_id = :connection "
                        + "ORDER BY created_at DESC, operation_id LIMIT :limit",
                new MapSqlParameterSource("connection", connectionId).addValue("limit", limit),
                (rs, row) -> new HsmOperation(rs.getObject("operation_id", UUID.class),
                        rs.getObject("connection_id", UUID.class), rs.getString("type"),
                        rs.getObject("key_id", UUID.class), rs.getString("status"), rs.getDouble("latency_ms"),
                        rs.getString("error"), rs.getTimestamp("created_at").toInstant()));
    }

    HealthMetrics health(UUID connectionId) {
        MapSqlParameterSource params = new MapSqlParameterSource("connection", connectionId)
                .addValue("window", HEALTH_WINDOW);
        return jdbc.queryForObject("SELECT avg(latency_ms) AS latency, "
                + "avg(CASE WHEN status = 'failure' THEN 1.0 ELSE 0.0 END) AS error_rate, "
                + "(SELECT max(created_at) FROM hsm_operation WHERE connection_id = :connection "
                + "AND status = 'success') AS last_success "
                + "FROM (SELECT latency_ms, status FROM hsm_operation WHERE connection_id = :connection "
                + "ORDER BY created_at DESC LIMIT :window) latest", params, (rs, row) -> {
            Double latency = rs.getObject("latency") == null ? null : rs.getDouble("latency");
            Double errorRate = rs.getObject("error_rate") == null ? null : rs.getDouble("error_rate");
            Timestamp last = rs.getTimestamp("last_success");
            return new HealthMetrics(latency, errorRate, last == null ? null : last.toInstant());
        });
    }

    private static MapSqlParameterSource values(HsmConnection c) {
        return new MapSqlParameterSource("id", c.connectionId()).addValue("tenant", c.tenantId())
                .addValue("name", c.name()).addValue("provider", c.provider()).addValue("status", c.status())
                .addValue("endpoint", c.endpoint(), Types.VARCHAR).addValue("port", c.port(), Types.INTEGER)
                .addValue("library", c.library()).addValue("slot", c.slot(), Types.BIGINT)
                .addValue("slotIndex", c.slotListIndex(), Types.INTEGER).addValue("pin", c.sealedPin())
                .addValue("credentialsType", c.credentialsType(), Types.VARCHAR)
                .addValue("credentials", c.sealedCredentials(), Types.BINARY)
                .addValue("metadata", c.metadata(), Types.VARCHAR)
                .addValue("checkedAt", timestamp(c.lastHealthCheckAt()), Types.TIMESTAMP)
                .addValue("createdAt", Timestamp.from(c.createdAt()))
                .addValue("updatedAt", Timestamp.from(c.updatedAt()));
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static final RowMapper<HsmConnection> CONNECTION = (rs, row) -> new HsmConnection(
            rs.getObject("connection_id", UUID.class), rs.getString("tenant_id"), rs.getString("name"),
            rs.getString("provider"), rs.getString("status"), rs.getString("endpoint"),
            (Integer) rs.getObject("port"), rs.getString("library"), (Long) rs.getObject("slot"),
            (Integer) rs.getObject("slot_list_index"), rs.getBytes("sealed_pin"), rs.getString("credentials_type"),
            rs.getBytes("sealed_credentials"), rs.getString("metadata"),
            rs.getTimestamp("last_health_check_at") == null ? null
                    : rs.getTimestamp("last_health_check_at").toInstant(),
            rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
}
