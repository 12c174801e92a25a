package io.qnsp.kpi.series;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Writes samples and the dimension values they carry, within the caller's transaction. */
@Repository
class Samples {

    private static final String INSERT_SAMPLE = "INSERT INTO kpi_sample (tenant_id, kpi, ts, value, dimensions, "
            + "source_key) VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?) "
            + "ON CONFLICT (tenant_id, kpi, source_key) WHERE source_key IS NOT NULL DO NOTHING";
    private static final String INSERT_VALUE = "INSERT INTO kpi_dimension_value (tenant_id, name, value, kpi) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    Samples(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Stores the samples; answers how many were new (the others had a source key stored before). */
    int insert(String tenant, String kpi, List<Sample> samples) {
        int[][] counts = jdbc.batchUpdate(INSERT_SAMPLE, samples, 500, (PreparedStatement statement, Sample sample) -> {
            statement.setString(1, tenant);
            statement.setString(2, kpi);
            statement.setTimestamp(3, Timestamp.from(sample.ts()));
            statement.setDouble(4, sample.value());
            statement.setString(5, json.writeValueAsString(sample.dimensions()));
            statement.setString(6, sample.sourceKey());
        });
        int inserted = 0;
        for (int[] batch : counts) {
            for (int count : batch) {
                inserted += Math.max(count, 0);
            }
        }
        // in one order everywhere, so that two transactions adding the same values cannot deadlock
        Set<Map.Entry<String, String>> values = new TreeSet<>(Map.Entry.<String, String>comparingByKey()
                .thenComparing(Map.Entry.comparingByValue()));
        samples.forEach(sample -> values.addAll(sample.dimensions().entrySet()));
        if (!values.isEmpty()) {
            jdbc.batchUpdate(INSERT_VALUE, new ArrayList<>(values), 500, (statement, value) -> {
                statement.setString(1, tenant);
                statement.setString(2, value.getKey());
                statement.setString(3, value.getValue());
                statement.setString(4, kpi);
            });
        }
        return inserted;
    }
}
