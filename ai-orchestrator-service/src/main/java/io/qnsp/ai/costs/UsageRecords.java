package io.qnsp.ai.costs;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The stored usage, always read within one tenant. */
@Repository
class UsageRecords {

    private final NamedParameterJdbcTemplate jdbc;
    private final RowMapper<UsageRecord> usage = (rs, row) -> new UsageRecord(rs.getObject("usage_id", UUID.class),
            rs.getString("tenant_id"), rs.getObject("model_id", UUID.class), rs.getObject("deployment_id", UUID.class),
            rs.getString("user_id"), rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("latency_ms"),
            rs.getBigDecimal("cost"), rs.getString("prompt_hash"), rs.getTimestamp("occurred_at").toInstant());

    UsageRecords(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UsageRecord u) {
        jdbc.update("INSERT INTO model_usage (usage_id, tenant_id, model_id, deployment_id, user_id, input_tokens, "
                + "output_tokens, latency_ms, cost, prompt_hash, occurred_at) VALUES (:id, :tenant, :model, "
                + ":deployment, :user, :input, :output, :latency, :cost, :hash, :at)",
                new MapSqlParameterSource("id", u.usageId()).addValue("tenant", u.tenantId())
                        .addValue("model", u.modelId()).addValue("deployment", u.deploymentId())
                        .addValue("user", u.userId()).addValue("input", u.inputTokens())
                        .addValue("output", u.outputTokens()).addValue("latency", u.latencyMs())
                        .addValue("cost", u.cost()).addValue("hash", u.promptHash())
                        .addValue("at", Timestamp.from(u.occurredAt())));
    }

    /** The tenant's usage in {@code [from, to)}, oldest first. */
    List<UsageRecord> between(String tenantId, Instant from, Instant to) {
        return jdbc.query("SELECT * FROM model_usage WHERE tenant_id = :tenant AND occurred_at >= :from "
                + "AND occurred_at < :to ORDER BY occurred_at, usage_id", new MapSqlParameterSource("tenant", tenantId)
                .addValue("from", Timestamp.from(from)).addValue("to", Timestamp.from(to)), usage);
    }
}
