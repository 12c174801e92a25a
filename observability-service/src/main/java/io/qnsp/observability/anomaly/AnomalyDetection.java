package io.qnsp.observability.anomaly;

import io.qnsp.common.error.InvalidField;
import io.qnsp.common.events.AuditEvent;
import io.qnsp.common.events.EventOutbox;
import io.qnsp.observability.metrics.Metric;
import io.qnsp.observability.metrics.MinuteAggregate;
import io.qnsp.observability.metrics.RequestMetrics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Anomaly-detection rules and their evaluation: on every tick, each rule judges the last complete minute of its
 * tenant's request metrics; an anomalous minute is recorded once (whatever the number of instances evaluating) and
 * published as the audit event {@code observability.anomaly.detected}, which the platform's webhooks and streams
 * carry to the rule's notification channels; a minute judged normal resolves the rule's open anomalies.
 */
@Service
public class AnomalyDetection {

    static final String DETECTED = "observability.anomaly.detected";
    static final int MAX_CHANNELS = 20;
    static final Duration MINUTE = Duration.ofMinutes(1);
    /** How many missed minutes a late tick evaluates at most. */
    static final Duration MAX_CATCH_UP = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(AnomalyDetection.class);

    private final AnomalyRules rules;
    private final Anomalies anomalies;
    private final RequestMetrics metrics;
    private final EventOutbox outbox;
    private final TransactionTemplate transactions;
    private final AnomalySettings settings;
    private final Clock clock;
    /** The end of the last minute the scheduler evaluated. */
    private final AtomicReference<Instant> evaluatedUpTo = new AtomicReference<>();

    AnomalyDetection(AnomalyRules rules, Anomalies anomalies, RequestMetrics metrics, EventOutbox outbox,
                     TransactionTemplate transactions, AnomalySettings settings, Clock clock) {
        this.rules = rules;
        this.anomalies = anomalies;
        this.metrics = metrics;
        this.outbox = outbox;
        this.transactions = transactions;
        this.settings = settings;
        this.clock = clock;
    }

    /** A rule as a caller describes it, checked by {@link #createRule}. */
    public record RuleDefinition(@Nullable String name, @Nullable String metric, @Nullable String conditionType,
                                 @Nullable Map<String, Object> parameters, @Nullable String sensitivity,
                                 @Nullable List<String> notificationChannels) {
    }

    /** Creates the tenant's rule, evaluated from the next tick on; every broken rule of the definition is a 400. */
    @Transactional
    public AnomalyRule createRule(String tenantId, RuleDefinition definition, String createdBy) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (definition.name() == null || definition.name().isBlank()) {
            problems.add("name", "is required");
        } else if (definition.name().length() > 200) {
            problems.add("name", "must be at most 200 characters");
        }
        Optional<Metric> metric = Optional.empty();
        if (definition.metric() == null || definition.metric().isBlank()) {
            problems.add("metric", "is required");
        } else {
            metric = Metric.named(definition.metric());
            if (metric.isEmpty()) {
                problems.add("metric", "must be one of " + Metric.NAMES);
            }
        }
        Condition condition = Condition.parse(definition.conditionType(), definition.parameters(), problems);
        Sensitivity sensitivity = Sensitivity.MEDIUM;
        if (definition.sensitivity() != null) {
            sensitivity = Sensitivity.named(definition.sensitivity()).orElse(null);
            if (sensitivity == null) {
                problems.add("sensitivity", "must be one of " + Sensitivity.NAMES);
            }
        }
        List<String> channels = definition.notificationChannels() == null ? List.of()
                : definition.notificationChannels();
        if (channels.size() > MAX_CHANNELS) {
            problems.add("notificationChannels", "must hold at most " + MAX_CHANNELS + " channels");
        }
        for (int i = 0; i < channels.size(); i++) {
            String channel = channels.get(i);
            if (channel == null || channel.isBlank() || channel.length() > 200) {
                problems.add("notificationChannels[" + i + "]", "must be 1 to 200 characters");
            }
        }
        problems.throwIfAny();
        String name = definition.name().strip();
        if (rules.nameTaken(tenantId, name)) {
            throw new RuleNameTaken(name);
        }
        AnomalyRule rule = new AnomalyRule(UUID.randomUUID(), tenantId, name, metric.orElseThrow(), condition,
                sensitivity, channels.stream().map(String::strip).distinct().toList(), createdBy, clock.instant());
        rules.insert(rule);
        return rule;
    }

    /** The tenant's anomalies, newest first. */
    public List<Anomaly> anomaliesOf(String tenantId, @Nullable String status, @Nullable UUID ruleId, int limit) {
        return anomalies.ofTenant(tenantId, status, ruleId, limit);
    }

    /**
     * The scheduler's tick: evaluates every rule over each complete minute since the last tick (a tick that comes a
     * little late must not skip a minute), at most {@link #MAX_CATCH_UP} of them, or over the last complete minute on
     * the first tick.
     */
    @Scheduled(fixedDelayString = "${qnsp.observability.anomaly.evaluation-interval:60s}",
            initialDelayString = "${qnsp.observability.anomaly.evaluation-interval:60s}")
    public void evaluateLastMinute() {
        Instant now = clock.instant();
        Instant end = now.truncatedTo(ChronoUnit.MINUTES);
        Instant before = evaluatedUpTo.get();
        Instant first = before == null || before.isBefore(end.minus(MAX_CATCH_UP)) ? end : before.plus(MINUTE);
        for (Instant windowEnd = first; !windowEnd.isAfter(end); windowEnd = windowEnd.plus(MINUTE)) {
            evaluate(windowEnd, now);
        }
        evaluatedUpTo.set(end);
    }

    /**
     * Evaluates every rule over the complete minute before {@code now}; answers the anomalies it recorded (an
     * anomaly recorded for that minute before is not recorded again).
     */
    public List<Anomaly> evaluate(Instant now) {
        return evaluate(now.truncatedTo(ChronoUnit.MINUTES), now);
    }

    private List<Anomaly> evaluate(Instant windowEnd, Instant now) {
        Instant windowStart = windowEnd.minus(MINUTE);
        Map<String, List<AnomalyRule>> byTenant = new LinkedHashMap<>();
        for (AnomalyRule rule : rules.all()) {
            byTenant.computeIfAbsent(rule.tenantId(), tenant -> new ArrayList<>()).add(rule);
        }
        List<Anomaly> recorded = new ArrayList<>();
        byTenant.forEach((tenant, tenantRules) -> {
            int lookback = tenantRules.stream().mapToInt(r -> r.lookbackMinutes(settings.baselineMinutes()))
                    .max().orElse(0);
            List<MinuteAggregate> history = metrics.minutes(tenant, windowStart.minus(Duration.ofMinutes(lookback)),
                    windowEnd);
            for (AnomalyRule rule : tenantRules) {
                int own = rule.lookbackMinutes(settings.baselineMinutes());
                List<MinuteAggregate> minutes = history.subList(history.size() - own - 1, history.size());
                try {
                    RuleEvaluation.judge(rule, minutes, settings.minBaselineMinutes())
                            .ifPresent(judgement -> record(rule, windowStart, judgement, now).ifPresent(recorded::add));
                } catch (RuntimeException e) {
                    // one rule's failure must not keep the others from being evaluated
                    log.warn("Anomaly rule {} of tenant {} could not be evaluated", rule.ruleId(), tenant, e);
                }
            }
        });
        return recorded;
    }

    private Optional<Anomaly> record(AnomalyRule rule, Instant windowStart, Judgement judgement, Instant now) {
        if (!judgement.anomalous()) {
            anomalies.resolve(rule.ruleId(), windowStart, now);
            return Optional.empty();
        }
        Anomaly anomaly = new Anomaly(UUID.randomUUID(), rule.tenantId(), rule.ruleId(), rule.name(),
                rule.metric().metricName(), judgement.severity(), "open", windowStart, judgement.observed(),
                judgement.expected(), judgement.score(), judgement.explanation(), now, null);
        return Optional.ofNullable(transactions.execute(status -> {
            if (!anomalies.insert(anomaly)) {
                return null;
            }
            outbox.append(detected(rule, anomaly));
            return anomaly;
        }));
    }

    private static AuditEvent detected(AnomalyRule rule, Anomaly anomaly) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("ruleId", rule.ruleId().toString());
        details.put("ruleName", rule.name());
        details.put("metric", anomaly.metric());
        details.put("severity", anomaly.severity());
        details.put("windowStart", anomaly.windowStart().toString());
        details.put("observedValue", Double.toString(anomaly.observedValue()));
        if (anomaly.expectedValue() != null) {
            details.put("expectedValue", Double.toString(anomaly.expectedValue()));
        }
        if (!rule.notificationChannels().isEmpty()) {
            details.put("notificationChannels", String.join(",", rule.notificationChannels()));
        }
        return new AuditEvent(UUID.randomUUID(), anomaly.detectedAt(), rule.tenantId(), "observability-service",
                DETECTED, "anomaly", anomaly.anomalyId().toString(), "success",
                "anomaly-evaluation-" + anomaly.windowStart(), "observability-service", details);
    }

    /** Deletes request metrics older than the retention, hourly. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1H")
    public void deleteExpiredMetrics() {
        metrics.deleteBefore(clock.instant().minus(settings.retention()));
    }
}
