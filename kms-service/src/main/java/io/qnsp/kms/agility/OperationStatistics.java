package io.qnsp.kms.agility;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The tenant's successful key operations (performed and recorded), counted per algorithm, read-only. */
@Repository
class OperationStatistics {

    /** The operations with one algorithm: how many, and the latest. */
    record AlgorithmCount(String algorithm, long operations, Instant lastUsedAt) {
    }

    /** The operations with one algorithm on one UTC day. */
    record DailyCount(LocalDate day, String algorithm, long operations) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    OperationStatistics(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<AlgorithmCount> byAlgorithm(String tenantId) {
        return jdbc.query("""
                        SELECT algorithm, count(*) AS operations, max(occurred_at) AS last_used_at FROM key_operation
                        WHERE tenant_id = :tenant AND outcome = 'success' GROUP BY algorithm""",
                new MapSqlParameterSource("tenant", tenantId),
                (rs, row) -> new AlgorithmCount(rs.getString("algorithm"), rs.getLong("operations"),
                        rs.getTimestamp("last_used_at").toInstant()));
    }

    /** Per UTC day from {@code since} (inclusive) on. */
    List<DailyCount> daily(String tenantId, Instant since) {
        return jdbc.query("""
                        SELECT CAST(occurred_at AT TIME ZONE 'UTC' AS DATE) AS day, algorithm, count(*) AS operations
                        FROM key_operation WHERE tenant_id = :tenant AND outcome = 'success' AND occurred_at >= :since
                        GROUP BY 1, 2""",
                new MapSqlParameterSource("tenant", tenantId).addValue("since", Timestamp.from(since)),
                (rs, row) -> new DailyCount(rs.getObject("day", LocalDate.class), rs.getString("algorithm"),
                        rs.getLong("operations")));
    }
}
