package io.qnsp.billing.dunning;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The stored dunning cases and the steps executed for them. */
@Repository
class DunningCases {

    private static final String COLUMNS = "payment_id, tenant_id, schedule_id, steps, started_at, stopped_at, "
            + "stop_reason";

    private static final RowMapper<DunningAction> ACTION = (rs, n) -> new DunningAction(
            rs.getObject("payment_id", UUID.class), rs.getInt("step_index"), rs.getInt("day_after_failure"),
            rs.getString("action"), rs.getString("template"), rs.getTimestamp("due_at").toInstant(),
            rs.getTimestamp("executed_at").toInstant(), rs.getString("outcome"));

    private final JdbcClient jdbc;
    private final DunningSchedules schedules;
    private final RowMapper<DunningCase> row;

    DunningCases(JdbcClient jdbc, DunningSchedules schedules) {
        this.jdbc = jdbc;
        this.schedules = schedules;
        this.row = (rs, n) -> new DunningCase(rs.getObject("payment_id", UUID.class), rs.getString("tenant_id"),
                rs.getObject("schedule_id", UUID.class), schedules.steps(rs.getString("steps")),
                rs.getTimestamp("started_at").toInstant(), instant(rs.getTimestamp("stopped_at")),
                rs.getString("stop_reason"), List.of());
    }

    void insertIfAbsent(UUID paymentId, String tenantId, @Nullable UUID scheduleId, List<DunningStep> steps,
                        Instant startedAt) {
        jdbc.sql("INSERT INTO dunning_case (payment_id, tenant_id, schedule_id, steps, started_at) "
                        + "VALUES (:id, :tenant, :schedule, CAST(:steps AS jsonb), :startedAt) "
                        + "ON CONFLICT (payment_id) DO NOTHING")
                .param("id", paymentId).param("tenant", tenantId).param("schedule", scheduleId)
                .param("steps", schedules.text(steps)).param("startedAt", Timestamp.from(startedAt)).update();
    }

    List<UUID> open(int limit) {
        return jdbc.sql("SELECT payment_id FROM dunning_case WHERE stopped_at IS NULL ORDER BY started_at, payment_id "
                + "LIMIT :limit").param("limit", limit).query(UUID.class).list();
    }

    /** The case if it still runs, locked; empty when another instance works on it. */
    Optional<DunningCase> lockOpen(UUID paymentId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM dunning_case WHERE payment_id = :id AND stopped_at IS NULL "
                + "FOR UPDATE SKIP LOCKED").param("id", paymentId).query(row).optional();
    }

    Optional<DunningCase> lockOpenWaiting(UUID paymentId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM dunning_case WHERE payment_id = :id AND stopped_at IS NULL "
                + "FOR UPDATE").param("id", paymentId).query(row).optional();
    }

    List<DunningCase> find(Collection<UUID> paymentIds) {
        if (paymentIds.isEmpty()) {
            return List.of();
        }
        List<DunningCase> cases = jdbc.sql("SELECT " + COLUMNS + " FROM dunning_case WHERE payment_id IN (:ids)")
                .param("ids", paymentIds).query(row).list();
        List<DunningAction> actions = actions(paymentIds);
        return cases.stream().map(c -> new DunningCase(c.paymentId(), c.tenantId(), c.scheduleId(), c.steps(),
                c.startedAt(), c.stoppedAt(), c.stopReason(),
                actions.stream().filter(a -> a.paymentId().equals(c.paymentId())).toList())).toList();
    }

    List<DunningAction> actions(Collection<UUID> paymentIds) {
        if (paymentIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT payment_id, step_index, day_after_failure, action, template, due_at, executed_at, "
                        + "outcome FROM dunning_action WHERE payment_id IN (:ids) ORDER BY executed_at, step_index")
                .param("ids", paymentIds).query(ACTION).list();
    }

    void insertAction(DunningAction action) {
        jdbc.sql("INSERT INTO dunning_action (payment_id, step_index, day_after_failure, action, template, due_at, "
                        + "executed_at, outcome) VALUES (:id, :index, :day, :action, :template, :due, :executed, "
                        + ":outcome)")
                .param("id", action.paymentId()).param("index", action.stepIndex())
                .param("day", action.dayAfterFailure()).param("action", action.action())
                .param("template", action.template()).param("due", Timestamp.from(action.dueAt()))
                .param("executed", Timestamp.from(action.executedAt())).param("outcome", action.outcome()).update();
    }

    void stop(UUID paymentId, String reason, Instant now) {
        jdbc.sql("UPDATE dunning_case SET stopped_at = :now, stop_reason = :reason WHERE payment_id = :id "
                        + "AND stopped_at IS NULL")
                .param("id", paymentId).param("reason", reason).param("now", Timestamp.from(now)).update();
    }

    /** Whether a case of the tenant other than the one given still runs and has suspended the tenant. */
    boolean otherOpenCaseSuspended(String tenantId, UUID except) {
        return jdbc.sql("SELECT count(*) FROM dunning_case c WHERE c.tenant_id = :tenant AND c.stopped_at IS NULL "
                        + "AND c.payment_id <> :except AND EXISTS (SELECT 1 FROM dunning_action a "
                        + "WHERE a.payment_id = c.payment_id AND a.action = 'suspend')")
                .param("tenant", tenantId).param("except", except).query(Long.class).single() > 0;
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
