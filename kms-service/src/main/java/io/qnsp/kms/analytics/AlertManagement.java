package io.qnsp.kms.analytics;

import io.qnsp.common.error.InvalidField;
import io.qnsp.common.web.PathIds;
import io.qnsp.kms.key.Key;
import io.qnsp.kms.key.KeyManagement;
import io.qnsp.kms.key.KeyNotFound;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** A tenant's usage alert rules and the alerts they raised. */
@Service
public class AlertManagement {

    static final int MAX_NAME = 128;
    static final int MAX_KEYS = 100;
    static final int MAX_CHANNELS = 10;
    static final int MAX_CHANNEL = 512;
    public static final int MAX_ALERTS = 500;

    private final AlertRules rules;
    private final Alerts alerts;
    private final KeyManagement keys;
    private final Clock clock = Clock.systemUTC();

    AlertManagement(AlertRules rules, Alerts alerts, KeyManagement keys) {
        this.rules = rules;
        this.alerts = alerts;
        this.keys = keys;
    }

    /** The condition fields as a request gives them, each possibly missing. */
    public record ConditionInput(@Nullable String metric, @Nullable String operator, @Nullable BigDecimal threshold,
                                 @Nullable String window) {
    }

    /**
     * @throws InvalidField naming each offending field
     * @throws KeyNotFound  when a key listed is not one of the tenant's
     */
    @Transactional
    public AlertRule create(String tenantId, @Nullable String name, @Nullable List<String> keyIds,
                            @Nullable ConditionInput condition, @Nullable String severity,
                            @Nullable List<String> notificationChannels, @Nullable Boolean enabled) {
        InvalidField.Problems problems = new InvalidField.Problems();
        String checkedName = name(name, problems);
        List<UUID> checkedKeys = keyIds(keyIds, problems);
        AlertCondition checkedCondition = null;
        if (condition == null) {
            problems.add("condition", "is required");
        } else {
            checkedCondition = AlertCondition.of(condition.metric(), condition.operator(), condition.threshold(),
                    condition.window(), "condition", problems);
        }
        AlertSeverity checkedSeverity = severity == null ? AlertSeverity.MEDIUM : severity(severity, problems);
        List<String> channels = channels(notificationChannels, problems);
        problems.throwIfAny();
        Set<UUID> tenantKeys = keys.inventory(tenantId).stream().map(Key::keyId).collect(Collectors.toSet());
        if (!tenantKeys.containsAll(checkedKeys)) {
            throw new KeyNotFound();
        }
        Instant now = clock.instant();
        AlertRule rule = new AlertRule(UUID.randomUUID(), tenantId, checkedName, checkedKeys, checkedCondition,
                checkedSeverity, channels, enabled == null || enabled, now, now);
        rules.insert(rule);
        return rule;
    }

    @Transactional(readOnly = true)
    public List<AlertRule> rules(String tenantId) {
        return rules.list(tenantId);
    }

    /**
     * Changes what is given; a condition is replaced whole. Disabling a rule resolves its open alert.
     *
     * @throws AlertRuleNotFound unless the tenant has the rule
     */
    @Transactional
    public AlertRule update(String tenantId, String ruleId, @Nullable String name, @Nullable ConditionInput condition,
                            @Nullable String severity, @Nullable Boolean enabled) {
        UUID id = PathIds.parse(ruleId, AlertRuleNotFound::new);
        AlertRule rule = rules.findForUpdate(tenantId, id).orElse(null);
        if (rule == null) {
            throw new AlertRuleNotFound();
        }
        InvalidField.Problems problems = new InvalidField.Problems();
        String newName = name == null ? rule.name() : name(name, problems);
        AlertCondition newCondition = condition == null ? rule.condition()
                : AlertCondition.of(condition.metric(), condition.operator(), condition.threshold(),
                condition.window(), "condition", problems);
        AlertSeverity newSeverity = severity == null ? rule.severity() : severity(severity, problems);
        problems.throwIfAny();
        Instant now = clock.instant();
        AlertRule changed = rule.changed(newName, newCondition, newSeverity, enabled == null ? rule.enabled() : enabled,
                now);
        rules.update(changed);
        if (!changed.enabled()) {
            alerts.resolve(changed.ruleId(), now);
        }
        return changed;
    }

    /** Deletes the rule with its alerts. @throws AlertRuleNotFound unless the tenant has the rule */
    @Transactional
    public void delete(String tenantId, String ruleId) {
        UUID id = PathIds.parse(ruleId, AlertRuleNotFound::new);
        if (!rules.delete(tenantId, id)) {
            throw new AlertRuleNotFound();
        }
    }

    /**
     * The tenant's alerts, newest first.
     *
     * @param status {@code open}, {@code resolved} or {@code null} for both
     * @throws InvalidField naming status, ruleId or limit
     */
    @Transactional(readOnly = true)
    public List<Alert> alerts(String tenantId, @Nullable String status, @Nullable String ruleId,
                              @Nullable Integer limit) {
        InvalidField.Problems problems = new InvalidField.Problems();
        Boolean open = null;
        if (status != null) {
            switch (status) {
                case "open" -> open = true;
                case "resolved" -> open = false;
                default -> problems.add("status", "must be open or resolved");
            }
        }
        UUID rule = ruleId == null ? null : problems.uuid(ruleId, "ruleId");
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > MAX_ALERTS) {
            problems.add("limit", "must be between 1 and " + MAX_ALERTS);
        }
        problems.throwIfAny();
        return alerts.list(tenantId, open, rule, size);
    }

    /**
     * Records who acknowledged the alert and when; the first acknowledgement stands.
     *
     * @throws AlertNotFound            unless the tenant has the alert
     * @throws AlertAlreadyAcknowledged when it was acknowledged before
     */
    @Transactional
    public Alert acknowledge(String tenantId, String alertId, String by) {
        UUID id = PathIds.parse(alertId, AlertNotFound::new);
        boolean first = alerts.acknowledge(tenantId, id, by, clock.instant());
        Alert alert = alerts.find(tenantId, id).orElseThrow(AlertNotFound::new);
        if (!first) {
            throw new AlertAlreadyAcknowledged(alert.acknowledgedBy(), alert.acknowledgedAt());
        }
        return alert;
    }

    private static @Nullable String name(@Nullable String name, InvalidField.Problems problems) {
        if (name == null || name.isBlank()) {
            problems.add("name", "is required");
            return null;
        }
        String stripped = name.strip();
        if (stripped.length() > MAX_NAME) {
            problems.add("name", "must be at most " + MAX_NAME + " characters");
        }
        return stripped;
    }

    private static List<UUID> keyIds(@Nullable List<String> keyIds, InvalidField.Problems problems) {
        if (keyIds == null) {
            return List.of();
        }
        if (keyIds.size() > MAX_KEYS) {
            problems.add("keyIds", "must list at most " + MAX_KEYS + " keys");
            return List.of();
        }
        Set<UUID> ids = new LinkedHashSet<>();
        for (int i = 0; i < keyIds.size(); i++) {
            String keyId = keyIds.get(i);
            if (keyId == null) {
                problems.add("keyIds[" + i + "]", "must not be null");
            } else {
                UUID id = problems.uuid(keyId, "keyIds[" + i + "]");
                if (id != null) {
                    ids.add(id);
                }
            }
        }
        return new ArrayList<>(ids);
    }

    private static @Nullable AlertSeverity severity(String severity, InvalidField.Problems problems) {
        AlertSeverity parsed = AlertSeverity.fromApiName(severity);
        if (parsed == null) {
            problems.add("severity", "must be one of " + AlertSeverity.apiNames());
        }
        return parsed;
    }

    private static List<String> channels(@Nullable List<String> channels, InvalidField.Problems problems) {
        if (channels == null) {
            return List.of();
        }
        if (channels.size() > MAX_CHANNELS) {
            problems.add("notificationChannels", "must list at most " + MAX_CHANNELS + " channels");
            return List.of();
        }
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            String channel = channels.get(i) == null ? null : channels.get(i).strip();
            if (channel == null || channel.isEmpty() || channel.length() > MAX_CHANNEL
                    || channel.chars().anyMatch(Character::isISOControl)) {
                problems.add("notificationChannels[" + i + "]", "must be 1 to " + MAX_CHANNEL
                        + " characters without control characters");
            } else {
                checked.add(channel);
            }
        }
        return checked;
    }
}
