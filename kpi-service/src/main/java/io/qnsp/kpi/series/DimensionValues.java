package io.qnsp.kpi.series;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.util.List;

/**
 * The values a tenant's dimension has taken, in byte order of their UTF-8 text, read a page at a time after the
 * last value of the page before (keyset paging: a page costs the same however deep it lies).
 */
@Repository
public class DimensionValues {

    private final NamedParameterJdbcTemplate jdbc;

    DimensionValues(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A page of values after {@code after} (from the first when {@code null}), at most {@code limit}. */
    public List<String> page(String tenant, String name, @Nullable String kpi, @Nullable String after, int limit) {
        MapSqlParameterSource parameters = new MapSqlParameterSource("tenant", tenant).addValue("name", name)
                .addValue("after", after == null ? "" : after).addValue("limit", limit);
        if (kpi == null) {
            return jdbc.queryForList("SELECT DISTINCT value FROM kpi_dimension_value WHERE tenant_id = :tenant "
                    + "AND name = :name AND value > :after ORDER BY value LIMIT :limit", parameters, String.class);
        }
        return jdbc.queryForList("SELECT value FROM kpi_dimension_value WHERE tenant_id = :tenant AND kpi = :kpi "
                        + "AND name = :name AND value > :after ORDER BY value LIMIT :limit",
                parameters.addValue("kpi", kpi), String.class);
    }
}
