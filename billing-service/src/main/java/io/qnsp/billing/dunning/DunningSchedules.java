package io.qnsp.billing.dunning;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** The stored dunning schedules (the latest of a tenant is in force), and the rules every schedule follows. */
@Repository
class DunningSchedules {

    static final int MAX_STEPS = 20;
    static final int MAX_DAY = 365;
    static final Pattern TEMPLATE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,99}");
    static final TypeReference<List<DunningStep>> STEPS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    DunningSchedules(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** What breaks the rules in the steps, each problem naming {@code field[i].part}. */
    static InvalidField.Problems check(@Nullable List<DunningStep> steps, String field) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (steps == null || steps.isEmpty()) {
            problems.add(field, "must have at least one step");
            return problems;
        }
        if (steps.size() > MAX_STEPS) {
            problems.add(field, "must have at most " + MAX_STEPS + " steps");
        }
        int suspends = 0;
        int cancels = 0;
        for (int i = 0; i < steps.size(); i++) {
            DunningStep step = steps.get(i);
            String at = field + "[" + i + "]";
            if (step == null) {
                problems.add(at, "must be a step");
                continue;
            }
            if (step.dayAfterFailure() < 0 || step.dayAfterFailure() > MAX_DAY) {
                problems.add(at + ".dayAfterFailure", "must be between 0 and " + MAX_DAY);
            }
            if (step.action() == null || !DunningStep.ACTIONS.contains(step.action())) {
                problems.add(at + ".action", "must be one of " + DunningStep.ACTIONS);
                continue;
            }
            if (step.isNotice() && step.template() == null) {
                problems.add(at + ".template", "is required for an " + step.action() + " step");
            } else if (step.template() != null && !TEMPLATE.matcher(step.template()).matches()) {
                problems.add(at + ".template", "must be 1 to 100 of a-z, 0-9, _, . and -, starting with a letter or "
                        + "digit");
            }
            suspends += DunningStep.SUSPEND.equals(step.action()) ? 1 : 0;
            cancels += DunningStep.CANCEL.equals(step.action()) ? 1 : 0;
        }
        if (suspends > 1) {
            problems.add(field, "must have at most one suspend step");
        }
        if (cancels > 1) {
            problems.add(field, "must have at most one cancel step");
        }
        return problems;
    }

    /** The steps in the order they run: by day, and as given within a day. */
    static List<DunningStep> ordered(List<DunningStep> steps) {
        return steps.stream().sorted(Comparator.comparingInt(DunningStep::dayAfterFailure)).toList();
    }

    void insert(DunningSchedule schedule) {
        jdbc.sql("INSERT INTO dunning_schedule (schedule_id, tenant_id, steps, created_at, created_by) "
                        + "VALUES (:id, :tenant, CAST(:steps AS jsonb), :createdAt, :createdBy)")
                .param("id", schedule.scheduleId()).param("tenant", schedule.tenantId())
                .param("steps", json.writeValueAsString(schedule.steps()))
                .param("createdAt", Timestamp.from(schedule.createdAt())).param("createdBy", schedule.createdBy())
                .update();
    }

    Optional<DunningSchedule> latest(String tenantId) {
        return jdbc.sql("SELECT schedule_id, tenant_id, steps, created_at, created_by FROM dunning_schedule "
                        + "WHERE tenant_id = :tenant ORDER BY created_at DESC, schedule_id LIMIT 1")
                .param("tenant", tenantId)
                .query((rs, n) -> new DunningSchedule(rs.getObject("schedule_id", UUID.class),
                        rs.getString("tenant_id"), steps(rs.getString("steps")),
                        rs.getTimestamp("created_at").toInstant(), rs.getString("created_by")))
                .optional();
    }

    List<DunningStep> steps(String text) {
        return json.readValue(text, STEPS);
    }

    String text(List<DunningStep> steps) {
        return json.writeValueAsString(steps);
    }
}
