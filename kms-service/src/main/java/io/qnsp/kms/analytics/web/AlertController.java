package io.qnsp.kms.analytics.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.kms.KmsScopes;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.kms.analytics.Alert;
import io.qnsp.kms.analytics.AlertCondition;
import io.qnsp.kms.analytics.AlertManagement;
import io.qnsp.kms.analytics.AlertMetric;
import io.qnsp.kms.analytics.AlertOperator;
import io.qnsp.kms.analytics.AlertRule;
import io.qnsp.kms.analytics.AlertSeverity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Usage alert rules and their alerts. A rule's condition is evaluated on a schedule against the operations of its
 * keys over its window; a breach raises one alert, resolved when the condition no longer holds. Reading needs
 * {@code kms:read}, every change (acknowledging included) {@code kms:write}.
 */
@Tag(name = "Key usage alerts")
@RestController
@RequestMapping("/kms/v1/analytics")
class AlertController {

    record ConditionRequest(@Schema(description = "operation_count, bytes_processed or error_rate")
                            @Nullable String metric,
                            @Schema(description = "gt, lt or eq") @Nullable String operator,
                            @Schema(description = "0 or more; error_rate is a percentage, 0 to 100")
                            @Nullable BigDecimal threshold,
                            @Schema(description = "the sliding window ending at the evaluation, minutes, hours or "
                                    + "days from 1m to 30d, e.g. 15m, 1h, 24h, 7d") @Nullable String window) {

        AlertManagement.ConditionInput input() {
            return new AlertManagement.ConditionInput(metric, operator, threshold, window);
        }
    }

    record CreateRuleRequest(@Schema(description = "up to 128 characters") @Nullable String name,
                             @Schema(description = "the keys watched, together; every key of the tenant when left "
                                     + "out or empty") @Nullable List<String> keyIds,
                             @Nullable ConditionRequest condition,
                             @Schema(description = "low, medium (the default), high or critical")
                             @Nullable String severity,
                             @Schema(description = "where to hear of the alerts; kept with the rule")
                             @Nullable List<String> notificationChannels,
                             @Schema(description = "true by default") @Nullable Boolean enabled) {
    }

    record RuleCreated(UUID ruleId, String name, Instant createdAt) {
    }

    record ConditionView(AlertMetric metric, AlertOperator operator, BigDecimal threshold, String window) {

        static ConditionView of(AlertCondition condition) {
            return new ConditionView(condition.metric(), condition.operator(), condition.threshold(),
                    condition.window());
        }
    }

    record RuleView(UUID ruleId, String name, List<UUID> keyIds, ConditionView condition, AlertSeverity severity,
                    List<String> notificationChannels, boolean enabled, Instant createdAt, Instant updatedAt) {

        static RuleView of(AlertRule rule) {
            return new RuleView(rule.ruleId(), rule.name(), rule.keyIds(), ConditionView.of(rule.condition()),
                    rule.severity(), rule.notificationChannels(), rule.enabled(), rule.createdAt(),
                    rule.updatedAt());
        }
    }

    record RuleList(List<RuleView> rules) {
    }

    record UpdateRuleRequest(@Nullable String name,
                             @Schema(description = "replaces the condition whole") @Nullable ConditionRequest condition,
                             @Nullable String severity,
                             @Schema(description = "false resolves the rule's open alert and stops its evaluation")
                             @Nullable Boolean enabled) {
    }

    record RuleUpdated(UUID ruleId, Instant updatedAt) {
    }

    record AlertView(UUID alertId, UUID ruleId,
                     @Schema(description = "the key its rule watches when it watches exactly one") @Nullable UUID keyId,
                     @Schema(description = "threshold_exceeded, unusual_pattern or compliance_violation")
                     String alertType, AlertSeverity severity, String message,
                     @Schema(description = "the metric's value that breached the condition") BigDecimal observedValue,
                     Instant triggeredAt,
                     @Schema(description = "when the condition no longer held; null while the alert is open")
                     @Nullable Instant resolvedAt,
                     boolean acknowledged, @Nullable Instant acknowledgedAt, @Nullable String acknowledgedBy) {

        static AlertView of(Alert alert) {
            return new AlertView(alert.alertId(), alert.ruleId(), alert.keyId(), alert.alertType(), alert.severity(),
                    alert.message(), alert.observedValue(), alert.triggeredAt(), alert.resolvedAt(),
                    alert.acknowledgedAt() != null, alert.acknowledgedAt(), alert.acknowledgedBy());
        }
    }

    record AlertList(List<AlertView> alerts) {
    }

    record Acknowledgement(UUID alertId, Instant acknowledgedAt, String acknowledgedBy) {
    }

    private final AlertManagement alerts;

    AlertController(AlertManagement alerts) {
        this.alerts = alerts;
    }

    @Operation(summary = "List usage alerts, newest first", operationId = "listUsageAlerts",
            description = "Open and resolved alerts, or only those of one status or rule. Needs kms:read.")
    @GetMapping("/alerts")
    @RequiredControls(scopes = KmsScopes.READ, audit = "kms.analytics.alerts_listed", resourceType = "usage_alert")
    AlertList listAlerts(Caller caller,
                         @Parameter(description = "open or resolved; both by default") @RequestParam(required = false)
                         @Nullable String status,
                         @Parameter(description = "only this rule's alerts") @RequestParam(required = false)
                         @Nullable String ruleId,
                         @Parameter(description = "1 to 500, 100 by default") @RequestParam(required = false)
                         @Nullable Integer limit) {
        return new AlertList(alerts.alerts(TenantRequired.tenantOf(caller), status, ruleId, limit).stream()
                .map(AlertView::of).toList());
    }

    @Operation(summary = "Acknowledge a usage alert", operationId = "acknowledgeUsageAlert",
            description = "Records the caller (the token's subject) and the time; an open alert stays open until "
                    + "its condition no longer holds. Needs kms:write.")
    @FailureResponse(status = 409, description = "The alert was already acknowledged")
    @PostMapping("/alerts/{alertId}/acknowledge")
    @RequiredControls(scopes = KmsScopes.WRITE, audit = "kms.analytics.alert_acknowledged",
            resourceType = "usage_alert", resourceId = "#alertId")
    Acknowledgement acknowledgeAlert(Caller caller, @PathVariable String alertId) {
        Alert alert = alerts.acknowledge(TenantRequired.tenantOf(caller), alertId, caller.principal());
        return new Acknowledgement(alert.alertId(), alert.acknowledgedAt(), alert.acknowledgedBy());
    }

    @Operation(summary = "Create a usage alert rule", operationId = "createUsageAlertRule",
            description = "Evaluated from now on, on the service's schedule. Needs kms:write.")
    @FailureResponse(status = 404, description = "A key listed is not one of the tenant's")
    @PostMapping("/alert-rules")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = KmsScopes.WRITE, audit = "kms.analytics.alert_rule_created",
            resourceType = "usage_alert_rule", resourceId = "#result.ruleId")
    RuleCreated createRule(Caller caller, @RequestBody CreateRuleRequest request) {
        AlertRule rule = alerts.create(TenantRequired.tenantOf(caller), request.name(), request.keyIds(),
                request.condition() == null ? null : request.condition().input(), request.severity(),
                request.notificationChannels(), request.enabled());
        return new RuleCreated(rule.ruleId(), rule.name(), rule.createdAt());
    }

    @Operation(summary = "List usage alert rules, oldest first", operationId = "listUsageAlertRules",
            description = "Needs kms:read.")
    @GetMapping("/alert-rules")
    @RequiredControls(scopes = KmsScopes.READ, audit = "kms.analytics.alert_rules_listed",
            resourceType = "usage_alert_rule")
    RuleList listRules(Caller caller) {
        return new RuleList(alerts.rules(TenantRequired.tenantOf(caller)).stream().map(RuleView::of).toList());
    }

    @Operation(summary = "Update a usage alert rule", operationId = "updateUsageAlertRule",
            description = "Changes the fields given. Needs kms:write.")
    @PatchMapping("/alert-rules/{ruleId}")
    @RequiredControls(scopes = KmsScopes.WRITE, audit = "kms.analytics.alert_rule_updated",
            resourceType = "usage_alert_rule", resourceId = "#ruleId")
    RuleUpdated updateRule(Caller caller, @PathVariable String ruleId, @RequestBody UpdateRuleRequest request) {
        AlertRule rule = alerts.update(TenantRequired.tenantOf(caller), ruleId, request.name(),
                request.condition() == null ? null : request.condition().input(), request.severity(),
                request.enabled());
        return new RuleUpdated(rule.ruleId(), rule.updatedAt());
    }

    @Operation(summary = "Delete a usage alert rule", operationId = "deleteUsageAlertRule",
            description = "Its alerts go with it. Needs kms:write.")
    @DeleteMapping("/alert-rules/{ruleId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiredControls(scopes = KmsScopes.WRITE, audit = "kms.analytics.alert_rule_deleted",
            resourceType = "usage_alert_rule", resourceId = "#ruleId")
    void deleteRule(Caller caller, @PathVariable String ruleId) {
        alerts.delete(TenantRequired.tenantOf(caller), ruleId);
    }
}
