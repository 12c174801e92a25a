package io.qnsp.kpi.query;

import io.qnsp.kpi.definition.Aggregation;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers KPI queries from the stored samples. PostgreSQL filters, buckets and aggregates them (count, sum, mean,
 * minimum, maximum and the sample standard deviation per bucket, in one pass); only the t quantile of an averaged
 * bucket's confidence interval, which SQL has no function for, is computed here.
 */
@Service
public class KpiQueries {

    private final NamedParameterJdbcTemplate jdbc;

    KpiQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The query's points, oldest first; a bucket without samples has no point. */
    public List<Point> points(String tenant, KpiQuery query) {
        MapSqlParameterSource parameters = new MapSqlParameterSource("tenant", tenant)
                .addValue("kpi", query.kpi().kpi())
                .addValue("from", Timestamp.from(query.window().from()))
                .addValue("to", Timestamp.from(query.window().to()));
        StringBuilder sql = new StringBuilder("SELECT ").append(bucket(query.granularity()))
                .append(" AS bucket, count(*) AS n, sum(value) AS total, avg(value) AS mean, min(value) AS low, ")
                .append("max(value) AS high, stddev_samp(value) AS sd FROM kpi_sample ")
                .append("WHERE tenant_id = :tenant AND kpi = :kpi AND ts >= :from AND ts < :to");
        int index = 0;
        for (Map.Entry<String, List<String>> filter : query.filters().entrySet()) {
            sql.append(" AND (dimensions ->> :d").append(index).append(") IN (:v").append(index).append(')');
            parameters.addValue("d" + index, filter.getKey()).addValue("v" + index, filter.getValue());
            index++;
        }
        sql.append(" GROUP BY 1 ORDER BY 1");
        Map<Long, Double> criticalValues = new HashMap<>();
        return jdbc.query(sql.toString(), parameters, (rs, row) -> {
            Instant start = rs.getTimestamp("bucket").toInstant();
            long n = rs.getLong("n");
            double mean = rs.getDouble("mean");
            double value = switch (query.aggregation()) {
                case SUM -> rs.getDouble("total");
                case AVG -> mean;
                case MIN -> rs.getDouble("low");
                case MAX -> rs.getDouble("high");
                case COUNT -> n;
            };
            Double lower = null;
            Double upper = null;
            double sd = rs.getDouble("sd");
            if (query.aggregation() == Aggregation.AVG && n >= 2 && !rs.wasNull()) {
                double t = criticalValues.computeIfAbsent(n - 1,
                        df -> StudentT.criticalValue(query.confidence(), df));
                double margin = t * sd / Math.sqrt(n);
                lower = mean - margin;
                upper = mean + margin;
            }
            boolean midnight = start.atOffset(ZoneOffset.UTC).toLocalTime().toSecondOfDay() == 0
                    && start.getNano() == 0;
            return new Point(start, midnight, value, n, lower, upper);
        });
    }

    private static String bucket(Granularity granularity) {
        return granularity == Granularity.WINDOW ? "CAST(:from AS timestamptz)"
                : "date_trunc('" + granularity.apiName() + "', ts, 'UTC')";
    }
}
