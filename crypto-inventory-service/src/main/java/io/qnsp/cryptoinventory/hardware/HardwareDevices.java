package io.qnsp.cryptoinventory.hardware;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The stored devices and their health checks, always read within one tenant. */
@Repository
class HardwareDevices {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<HardwareDevice> device;

    HardwareDevices(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.device = (rs, row) -> new HardwareDevice(rs.getObject("hardware_id", UUID.class),
                rs.getString("tenant_id"), rs.getString("name"), rs.getString("type"), rs.getString("vendor"),
                rs.getString("model"), rs.getString("serial_number"), rs.getString("location"),
                json.readValue(rs.getString("capabilities"), STRINGS), rs.getString("firmware_version"),
                rs.getTimestamp("created_at").toInstant());
    }

    void insert(HardwareDevice d) {
        jdbc.update("INSERT INTO hardware_device (hardware_id, tenant_id, name, type, vendor, model, serial_number, "
                + "location, capabilities, firmware_version, created_at) VALUES (:id, :tenant, :name, :type, :vendor, "
                + ":model, :serial, :location, CAST(:capabilities AS JSONB), :firmware, :created)",
                new MapSqlParameterSource("id", d.hardwareId()).addValue("tenant", d.tenantId())
                        .addValue("name", d.name()).addValue("type", d.type()).addValue("vendor", d.vendor())
                        .addValue("model", d.model()).addValue("serial", d.serialNumber())
                        .addValue("location", d.location())
                        .addValue("capabilities", json.writeValueAsString(d.capabilities()))
                        .addValue("firmware", d.firmwareVersion()).addValue("created", Timestamp.from(d.createdAt())));
    }

    Optional<HardwareDevice> find(String tenantId, UUID hardwareId) {
        return jdbc.query("SELECT * FROM hardware_device WHERE tenant_id = :tenant AND hardware_id = :id",
                new MapSqlParameterSource("tenant", tenantId).addValue("id", hardwareId), device).stream().findFirst();
    }

    void insert(HealthCheck c) {
        jdbc.update("INSERT INTO hardware_health_check (health_check_id, hardware_id, status, temperature, "
                + "operations_per_second, error_rate, recorded_at) VALUES (:id, :hardware, :status, :temperature, "
                + ":ops, :errorRate, :recorded)", new MapSqlParameterSource("id", c.healthCheckId())
                .addValue("hardware", c.hardwareId()).addValue("status", c.status())
                .addValue("temperature", c.temperature()).addValue("ops", c.operationsPerSecond())
                .addValue("errorRate", c.errorRate()).addValue("recorded", Timestamp.from(c.recordedAt())));
    }

    record DeviceWithStatus(HardwareDevice device, @Nullable String latestStatus) {
    }

    /** The tenant's devices, oldest first, each with the status of its latest health check (null before the first). */
    List<DeviceWithStatus> withLatestStatus(String tenantId) {
        return jdbc.query("SELECT d.*, (SELECT c.status FROM hardware_health_check c WHERE c.hardware_id = d.hardware_id "
                + "ORDER BY c.recorded_at DESC, c.health_check_id DESC LIMIT 1) AS latest_status "
                + "FROM hardware_device d WHERE d.tenant_id = :tenant ORDER BY d.created_at, d.hardware_id",
                new MapSqlParameterSource("tenant", tenantId),
                (ResultSet rs, int row) -> withStatus(rs, row));
    }

    private DeviceWithStatus withStatus(ResultSet rs, int row) throws SQLException {
        return new DeviceWithStatus(device.mapRow(rs, row), rs.getString("latest_status"));
    }
}
