package io.qnsp.search.health;

import io.qnsp.search.index.Indices;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The health of each index as PostgreSQL reports it: the partition's size, live and dead rows and last vacuum and
 * analyze from {@code pg_stat_user_tables}, and whether each of its index structures ({@code pg_index}) is valid and
 * ready. The document count and size are the tenant's own rows.
 */
@Service
public class IndexHealth {

    public static final String GREEN = "green";
    public static final String YELLOW = "yellow";
    public static final String RED = "red";

    private final JdbcClient jdbc;
    private final HealthSettings settings;

    IndexHealth(JdbcClient jdbc, HealthSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /**
     * One index.
     *
     * @param documentCount      the tenant's documents in it
     * @param sizeBytes          the stored size of those documents ({@code pg_column_size} of their rows)
     * @param relationSizeBytes  the partition's whole size on disk, its index structures included, all tenants
     * @param structures         the partition's index structures (GIN and B-tree)
     * @param validStructures    those valid and ready to be used
     */
    public record Index(String indexName, String status, long documentCount, long sizeBytes, long relationSizeBytes,
                        long liveRows, long deadRows, int structures, int validStructures,
                        @Nullable Instant lastVacuumAt, @Nullable Instant lastAnalyzeAt, List<String> issues) {
    }

    public record Health(String overallHealth, List<Index> indices) {
    }

    public Health current(String tenantId) {
        Map<String, long[]> own = new HashMap<>();
        jdbc.sql("SELECT index_name, count(*) AS documents, coalesce(sum(pg_column_size(d.*)), 0) AS bytes "
                        + "FROM document d WHERE tenant_id = :tenant GROUP BY index_name")
                .param("tenant", tenantId)
                .query((rs, n) -> own.put(rs.getString("index_name"),
                        new long[]{rs.getLong("documents"), rs.getLong("bytes")})).list();
        List<Index> indices = new ArrayList<>();
        for (String name : Indices.NAMES) {
            indices.add(index(name, own.getOrDefault(name, new long[]{0, 0})));
        }
        String overall = indices.stream().map(Index::status).reduce(GREEN, IndexHealth::worse);
        return new Health(overall, indices);
    }

    private Index index(String name, long[] own) {
        return jdbc.sql("SELECT pg_total_relation_size(c.oid) AS relation_bytes, coalesce(s.n_live_tup, 0) AS live, "
                        + "coalesce(s.n_dead_tup, 0) AS dead, greatest(s.last_vacuum, s.last_autovacuum) AS vacuumed, "
                        + "greatest(s.last_analyze, s.last_autoanalyze) AS analyzed, "
                        + "(SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid) AS structures, "
                        + "(SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid AND i.indisvalid "
                        + "AND i.indisready AND i.indislive) AS valid "
                        + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid "
                        + "WHERE n.nspname = current_schema() AND c.relname = :table")
                .param("table", Indices.partition(name))
                .query((rs, n) -> {
                    long live = rs.getLong("live");
                    long dead = rs.getLong("dead");
                    int structures = rs.getInt("structures");
                    int valid = rs.getInt("valid");
                    List<String> issues = new ArrayList<>();
                    String status = GREEN;
                    if (structures == 0 || valid < structures) {
                        status = RED;
                        issues.add((structures - valid) + " of " + structures + " index structures are not valid; "
                                + "a reindex rebuilds them");
                    }
                    if (dead > 0 && BigDecimal.valueOf(dead).compareTo(settings.deadRowRatioWarning()
                            .multiply(BigDecimal.valueOf(live + dead))) > 0) {
                        status = worse(status, YELLOW);
                        issues.add(dead + " dead rows of " + (live + dead) + "; an optimize (VACUUM ANALYZE) "
                                + "reclaims them");
                    }
                    return new Index(name, status, own[0], own[1], rs.getLong("relation_bytes"), live, dead,
                            structures, valid, instant(rs.getTimestamp("vacuumed")),
                            instant(rs.getTimestamp("analyzed")), issues);
                }).single();
    }

    static String worse(String a, String b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(String status) {
        return switch (status) {
            case RED -> 2;
            case YELLOW -> 1;
            default -> 0;
        };
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
