package io.qnsp.kpi.definition;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** The tenants' KPI definitions and their contract versions, always read and written within one tenant. */
@Repository
class KpiDefinitions {

    private static final String CONTRACTS = "SELECT kpi, version, description, unit, aggregation, dimensions, "
            + "created_at FROM kpi_contract WHERE tenant_id = :tenant";

    private final NamedParameterJdbcTemplate jdbc;

    KpiDefinitions(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<KpiDefinition> find(String tenant, String kpi) {
        List<KpiDefinition> found = read(CONTRACTS + " AND kpi = :kpi ORDER BY version",
                new MapSqlParameterSource("tenant", tenant).addValue("kpi", kpi));
        return found.stream().findFirst();
    }

    /** The tenant's KPIs by name. */
    List<KpiDefinition> list(String tenant) {
        return read(CONTRACTS + " ORDER BY kpi COLLATE \"C\", version", new MapSqlParameterSource("tenant", tenant));
    }

    /** Defines the KPI with its first contract; false when the tenant already has a KPI of this name. */
    boolean create(String tenant, String kpi, NewContract contract, String by, Instant now) {
        int inserted = jdbc.update("INSERT INTO kpi_definition (tenant_id, kpi, latest_version, created_at) "
                + "VALUES (:tenant, :kpi, 1, :now) ON CONFLICT DO NOTHING", new MapSqlParameterSource("tenant", tenant)
                .addValue("kpi", kpi).addValue("now", Timestamp.from(now)));
        if (inserted == 0) {
            return false;
        }
        insertContract(tenant, kpi, 1, contract, by, now);
        return true;
    }

    /**
     * Publishes the version after {@code basedOn} when that is still the newest; empty when it is not (or the KPI
     * does not exist). The conditional update makes two concurrent publications of one base race to one winner.
     */
    OptionalInt publish(String tenant, String kpi, int basedOn, NewContract contract, String by, Instant now) {
        List<Integer> versions = jdbc.queryForList("UPDATE kpi_definition SET latest_version = latest_version + 1 "
                        + "WHERE tenant_id = :tenant AND kpi = :kpi AND latest_version = :basedOn RETURNING latest_version",
                new MapSqlParameterSource("tenant", tenant).addValue("kpi", kpi).addValue("basedOn", basedOn),
                Integer.class);
        if (versions.isEmpty()) {
            return OptionalInt.empty();
        }
        insertContract(tenant, kpi, versions.getFirst(), contract, by, now);
        return OptionalInt.of(versions.getFirst());
    }

    private void insertContract(String tenant, String kpi, int version, NewContract contract, String by, Instant now) {
        jdbc.getJdbcTemplate().update(connection -> {
            var statement = connection.prepareStatement("INSERT INTO kpi_contract (tenant_id, kpi, version, "
                    + "description, unit, aggregation, dimensions, created_at, created_by) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
            statement.setString(1, tenant);
            statement.setString(2, kpi);
            statement.setInt(3, version);
            statement.setString(4, contract.description());
            statement.setString(5, contract.unit());
            statement.setString(6, contract.aggregation().apiName());
            statement.setArray(7, connection.createArrayOf("varchar", contract.dimensions().toArray()));
            statement.setTimestamp(8, Timestamp.from(now));
            statement.setString(9, by);
            return statement;
        });
    }

    private List<KpiDefinition> read(String sql, MapSqlParameterSource parameters) {
        Map<String, List<Contract>> byKpi = new LinkedHashMap<>();
        jdbc.query(sql, parameters, rs -> {
            byKpi.computeIfAbsent(rs.getString("kpi"), k -> new ArrayList<>()).add(new Contract(rs.getInt("version"),
                    rs.getString("description"), rs.getString("unit"),
                    Aggregation.fromApiName(rs.getString("aggregation")), strings(rs.getArray("dimensions")),
                    rs.getTimestamp("created_at").toInstant()));
        });
        List<KpiDefinition> definitions = new ArrayList<>();
        byKpi.forEach((kpi, contracts) -> definitions.add(new KpiDefinition(kpi, KpiSource.TENANT, contracts)));
        return definitions;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
    }
}
