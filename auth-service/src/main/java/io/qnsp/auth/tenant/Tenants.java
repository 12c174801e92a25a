package io.qnsp.auth.tenant;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Stored tenants and the tenant of each client. */
@Repository
class Tenants {

    private static final TypeReference<Map<String, Long>> QUOTAS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<Tenant> tenantRows;

    Tenants(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.tenantRows = (rs, row) -> new Tenant(rs.getString("id"), rs.getString("name"), rs.getString("plan"),
                strings(rs.getArray("add_ons")), json.readValue(rs.getString("quotas"), QUOTAS),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    boolean insert(Tenant tenant) {
        return jdbc.update("""
                INSERT INTO tenant (id, name, plan, add_ons, quotas, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?::jsonb, ?, ?) ON CONFLICT (id) DO NOTHING
                """, tenant.id(), tenant.name(), tenant.plan(), tenant.addOns().toArray(String[]::new),
                json.writeValueAsString(tenant.quotas()), Timestamp.from(tenant.createdAt()),
                Timestamp.from(tenant.updatedAt())) == 1;
    }

    Optional<Tenant> find(String id) {
        return jdbc.query("SELECT * FROM tenant WHERE id = ?", tenantRows, id).stream().findFirst();
    }

    List<Tenant> page(int limit, int offset) {
        return jdbc.query("SELECT * FROM tenant ORDER BY created_at, id LIMIT ? OFFSET ?", tenantRows, limit, offset);
    }

    long count() {
        Long count = jdbc.queryForObject("SELECT count(*) FROM tenant", Long.class);
        return count == null ? 0 : count;
    }

    void insertClient(TenantClient client) {
        jdbc.update("INSERT INTO tenant_client (client_id, tenant_id, name, roles, created_at) VALUES (?, ?, ?, ?, ?)",
                client.clientId(), client.tenantId(), client.name(), client.roles().toArray(String[]::new),
                Timestamp.from(client.createdAt()));
    }

    /** The tenant and roles of a client; scopes come from the registered client. */
    Optional<TenantClient> findClient(String clientId) {
        return jdbc.query("SELECT * FROM tenant_client WHERE client_id = ?", (rs, row) -> new TenantClient(
                rs.getString("client_id"), rs.getString("tenant_id"), rs.getString("name"), List.of(),
                strings(rs.getArray("roles")), rs.getTimestamp("created_at").toInstant()), clientId)
                .stream().findFirst();
    }

    List<TenantClient> clientsOf(String tenantId) {
        return jdbc.query("SELECT * FROM tenant_client WHERE tenant_id = ? ORDER BY created_at, client_id",
                (rs, row) -> new TenantClient(rs.getString("client_id"), rs.getString("tenant_id"),
                        rs.getString("name"), List.of(), strings(rs.getArray("roles")),
                        rs.getTimestamp("created_at").toInstant()), tenantId);
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
