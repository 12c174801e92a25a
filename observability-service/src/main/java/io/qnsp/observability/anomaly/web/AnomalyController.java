package io.qnsp.observability.anomaly.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.observability.ObservabilityScopes;
import io.qnsp.observability.anomaly.Anomaly;
import io.qnsp.observability.anomaly.AnomalyDetection;
import io.qnsp.observability.anomaly.AnomalyRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Anomaly-detection rules over the tenant's request metrics, and the anomalies they detected. */
@Tag(name = "Anomaly detection")
@RestController
@RequestMapping("/observability/v1/anomaly-detection")
class AnomalyController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    /** parameters by type: threshold: above and/or below; deviation: zScore, baselineMinutes, direction; trend. */
    record ConditionBody(@Schema(allowableValues = {"threshold", "deviation", "trend"},
                                 description = "its parameters: threshold: above and/or below (numbers); deviation: "
                                         + "zScore, baselineMinutes (5 to 1440), direction (up, down, both); trend: "
                                         + "windowMinutes (1 to 720), changePercent, direction")
                         @Nullable String type,
                         @Nullable Map<String, Object> parameters) {
    }

    record CreateRuleRequest(@Nullable String name,
                             @Schema(description = "request_count, error_rate, client_error_rate, latency_mean_ms, "
                                     + "latency_max_ms or rate_limited_count") @Nullable String metric,
                             @Nullable ConditionBody condition,
                             @Schema(allowableValues = {"low", "medium", "high"}, description = "default medium")
                             @Nullable String sensitivity,
                             @Nullable List<String> notificationChannels) {
    }

    record RuleCreated(UUID ruleId, String name, Instant createdAt, String metric, String sensitivity,
                       List<String> notificationChannels) {
    }

    record AnomalyView(UUID anomalyId, UUID ruleId, String ruleName, String metric,
                       @Schema(allowableValues = {"medium", "high", "critical"}) String severity,
                       @Schema(allowableValues = {"open", "acknowledged", "resolved"}) String status,
                       Instant detectedAt, @Schema(description = "the start of the minute judged unusual")
                       Instant windowStart, double observedValue, @Nullable Double expectedValue,
                       @Schema(description = "robust z-score (deviation) or change in percent (trend)")
                       @Nullable Double score, String explanation, @Nullable Instant resolvedAt) {
    }

    record AnomalyList(List<AnomalyView> anomalies) {
    }

    private final AnomalyDetection detection;

    AnomalyController(AnomalyDetection detection) {
        this.detection = detection;
    }

    @Operation(summary = "Create anomaly detection rule", operationId = "createAnomalyRule",
            description = "Evaluated every minute over the last complete minute of the tenant's request metrics "
                    + "(from the gateway's request log). Needs observability:write.")
    @FailureResponse(status = 409, description = "the tenant has a rule of that name already")
    @PostMapping("/rules")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = ObservabilityScopes.WRITE, audit = "observability.anomaly_rule.created",
            resourceType = "anomaly_rule", resourceId = "#result.ruleId")
    RuleCreated createRule(Caller caller, @RequestBody CreateRuleRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        if (request.condition() == null) {
            InvalidField.Problems problems = new InvalidField.Problems();
            problems.add("condition", "is required");
            problems.throwIfAny();
        }
        AnomalyRule rule = detection.createRule(tenant, new AnomalyDetection.RuleDefinition(request.name(),
                request.metric(), request.condition().type(), request.condition().parameters(),
                request.sensitivity(), request.notificationChannels()), caller.principal());
        return new RuleCreated(rule.ruleId(), rule.name(), rule.createdAt(), rule.metric().metricName(),
                rule.sensitivityLevel(), rule.notificationChannels());
    }

    @Operation(summary = "List detected anomalies", operationId = "listAnomalies",
            description = "The tenant's anomalies, newest first. Needs observability:read.")
    @GetMapping("/anomalies")
    @RequiredControls(scopes = ObservabilityScopes.READ, audit = "observability.anomalies.listed",
            resourceType = "anomaly")
    AnomalyList anomalies(Caller caller,
                          @Parameter(description = "open, acknowledged or resolved")
                          @RequestParam(required = false) @Nullable String status,
                          @Parameter(description = "only the anomalies of this rule")
                          @RequestParam(required = false) @Nullable String ruleId,
                          @Parameter(description = "at most this many (1 to 500, default 100)")
                          @RequestParam(required = false) @Nullable Integer limit) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (status != null && !Anomaly.STATUSES.contains(status)) {
            problems.add("status", "must be one of " + Anomaly.STATUSES);
        }
        UUID rule = problems.uuid(ruleId, "ruleId");
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            problems.add("limit", "must be from 1 to " + MAX_LIMIT);
        }
        problems.throwIfAny();
        return new AnomalyList(detection.anomaliesOf(tenant, status, rule, limit == null ? DEFAULT_LIMIT : limit)
                .stream().map(a -> new AnomalyView(a.anomalyId(), a.ruleId(), a.ruleName(), a.metric(),
                        a.severity(), a.status(), a.detectedAt(), a.windowStart(), a.observedValue(),
                        a.expectedValue(), a.score(), a.explanation(), a.resolvedAt())).toList());
    }
}
