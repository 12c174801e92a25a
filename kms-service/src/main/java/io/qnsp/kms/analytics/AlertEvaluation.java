package io.qnsp.kms.analytics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Evaluates every enabled alert rule against the operation log on a schedule
 * ({@code qnsp.kms.alert-evaluation-interval}): a rule whose condition holds over its window gets an alert, one per
 * breach however many evaluations see it (the database keeps one open alert per rule, even when two instances
 * evaluate at once); an open alert is resolved by the first evaluation that finds the condition no longer holding.
 */
@Service
public class AlertEvaluation {

    private static final Logger log = LoggerFactory.getLogger(AlertEvaluation.class);
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final AlertRules rules;
    private final Alerts alerts;
    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock = Clock.systemUTC();

    AlertEvaluation(AlertRules rules, Alerts alerts, NamedParameterJdbcTemplate jdbc) {
        this.rules = rules;
        this.alerts = alerts;
        this.jdbc = jdbc;
    }

    /** What one evaluation did. */
    public record Outcome(int rulesEvaluated, int alertsRaised, int alertsResolved) {
    }

    /** Evaluates every enabled rule once, now. */
    @Scheduled(fixedDelayString = "${qnsp.kms.alert-evaluation-interval:30s}")
    public Outcome evaluate() {
        Instant now = clock.instant();
        int evaluated = 0;
        int raised = 0;
        int resolved = alerts.resolveOfDisabledRules(now);
        for (AlertRule rule : rules.enabled()) {
            evaluated++;
            try {
                BigDecimal observed = observe(rule, now);
                if (rule.condition().breachedBy(observed)) {
                    if (alerts.openUnlessOpen(alertFor(rule, observed, now))) {
                        raised++;
                    }
                } else if (alerts.resolve(rule.ruleId(), now)) {
                    resolved++;
                }
            } catch (DataIntegrityViolationException deletedMeanwhile) {
                // the rule was deleted since it was read: nothing left to alert for
                log.debug("alert rule {} went away during its evaluation", rule.ruleId());
            }
        }
        if (raised > 0 || resolved > 0) {
            log.info("usage alert evaluation: {} alert(s) raised, {} resolved", raised, resolved);
        }
        return new Outcome(evaluated, raised, resolved);
    }

    /** The rule's metric over the window ending now, across its keys. */
    BigDecimal observe(AlertRule rule, Instant now) {
        String keys = String.join(",", rule.keyIds().stream().map(UUID::toString).toList());
        return jdbc.queryForObject("SELECT count(*) AS operations, "
                        + "coalesce(sum(bytes_processed) FILTER (WHERE outcome = 'success'), 0) AS bytes, "
                        + "count(*) FILTER (WHERE outcome = 'failure') AS errors FROM key_operation "
                        + "WHERE tenant_id = :tenant AND occurred_at > :since AND occurred_at <= :now "
                        + "AND (:keys = '' OR key_id = ANY (CAST(string_to_array(:keys, ',') AS UUID[])))",
                new MapSqlParameterSource("tenant", rule.tenantId())
                        .addValue("since", Timestamp.from(now.minus(rule.condition().windowLength())))
                        .addValue("now", Timestamp.from(now)).addValue("keys", keys),
                (rs, row) -> switch (rule.condition().metric()) {
                    case OPERATION_COUNT -> BigDecimal.valueOf(rs.getLong("operations"));
                    case BYTES_PROCESSED -> BigDecimal.valueOf(rs.getLong("bytes"));
                    case ERROR_RATE -> rs.getLong("operations") == 0 ? BigDecimal.ZERO
                            : BigDecimal.valueOf(rs.getLong("errors")).multiply(HUNDRED)
                            .divide(BigDecimal.valueOf(rs.getLong("operations")), 2, RoundingMode.HALF_UP);
                });
    }

    private static Alert alertFor(AlertRule rule, BigDecimal observed, Instant now) {
        AlertCondition condition = rule.condition();
        String message = "Rule '" + rule.name() + "': " + condition.metric().apiName() + " was "
                + observed.toPlainString() + (condition.metric() == AlertMetric.ERROR_RATE ? "%" : "")
                + " over the last " + condition.window() + ", " + switch (condition.operator()) {
                    case GT -> "above";
                    case LT -> "below";
                    case EQ -> "equal to";
                } + " the threshold of " + condition.threshold().toPlainString();
        return new Alert(UUID.randomUUID(), rule.tenantId(), rule.ruleId(),
                rule.keyIds().size() == 1 ? rule.keyIds().getFirst() : null, Alert.THRESHOLD_EXCEEDED,
                rule.severity(), message, observed, now, null, null, null);
    }
}
