package io.qnsp.observability.dashboard;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;

/** The dashboards, each its tenant's. */
@Repository
class Dashboards {

    private static final TypeReference<List<Panel>> PANELS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    Dashboards(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    boolean nameTaken(String tenantId, String name) {
        return jdbc.sql("SELECT count(*) FROM dashboard WHERE tenant_id = :tenant AND name = :name")
                .param("tenant", tenantId).param("name", name).query(Long.class).single() > 0;
    }

    void insert(Dashboard dashboard) {
        jdbc.sql("INSERT INTO dashboard (dashboard_id, tenant_id, name, description, layout_columns, layout_rows, "
                        + "panels, owner, starred, shared, created_at) VALUES (:id, :tenant, :name, :description, "
                        + ":columns, :rows, CAST(:panels AS jsonb), :owner, :starred, :shared, :at)")
                .param("id", dashboard.dashboardId()).param("tenant", dashboard.tenantId())
                .param("name", dashboard.name()).param("description", dashboard.description())
                .param("columns", dashboard.columns()).param("rows", dashboard.rows())
                .param("panels", json.writeValueAsString(dashboard.panels())).param("owner", dashboard.owner())
                .param("starred", dashboard.starred()).param("shared", dashboard.shared())
                .param("at", Timestamp.from(dashboard.createdAt())).update();
    }

    /** The tenant's dashboards the principal sees: its own and the shared ones, starred first, then by name. */
    List<Dashboard> visibleTo(String tenantId, String principal) {
        return jdbc.sql("SELECT * FROM dashboard WHERE tenant_id = :tenant AND (owner = :principal OR shared) "
                        + "ORDER BY starred DESC, name, dashboard_id")
                .param("tenant", tenantId).param("principal", principal).query((rs, n) -> dashboard(rs)).list();
    }

    private Dashboard dashboard(ResultSet rs) throws SQLException {
        return new Dashboard(rs.getObject("dashboard_id", UUID.class), rs.getString("tenant_id"),
                rs.getString("name"), rs.getString("description"), rs.getInt("layout_columns"),
                rs.getInt("layout_rows"), json.readValue(rs.getString("panels"), PANELS), rs.getString("owner"),
                rs.getBoolean("starred"), rs.getBoolean("shared"), rs.getTimestamp("created_at").toInstant());
    }
}
