package io.qnsp.tenant.health.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.tenant.TenantScopes;
import io.qnsp.tenant.health.HealthScore;
import io.qnsp.tenant.health.TenantHealth;
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
import java.util.UUID;

/** The caller's tenant's health: snapshots it records, the current score and the trend. */
@Tag(name = "Tenant health")
@RestController
@RequestMapping("/tenant/v1/health")
class HealthController {

    record ReportedMetrics(@Schema(description = "p99 API latency in milliseconds, at least 0")
                           @Nullable Double apiLatencyP99,
                   @Schema(description = "server errors per request, 0 to 1") @Nullable Double errorRate,
                   @Schema(description = "active users, at least 0") @Nullable Double activeUsers,
                   @Schema(description = "storage used, percent of the allowance, 0 to 100")
                   @Nullable Double storageUsage) {
    }

    record RecordSnapshotRequest(@Nullable ReportedMetrics metrics) {
    }

    record SnapshotRecorded(UUID snapshotId, Instant recordedAt, int score,
                            @Schema(allowableValues = {"healthy", "degraded", "critical"}) String status) {
    }

    record CurrentHealth(@Schema(allowableValues = {"healthy", "degraded", "critical"}) String status, int score,
                         @Schema(description = "the values the score was computed from: apiLatencyP99, errorRate, "
                                 + "activeUsers, storageUsage, requests, activePrincipals, the window, their source")
                         HealthScore.HealthMetrics metrics,
                         List<HealthScore.Issue> issues) {
    }

    record HealthTrend(String period, List<TenantHealth.DataPoint> dataPoints) {
    }

    private final TenantHealth health;

    HealthController(TenantHealth health) {
        this.health = health;
    }

    @Operation(summary = "Record tenant health snapshot", operationId = "recordHealthSnapshot",
            description = "Stores the metrics the tenant reports together with what the platform's request log "
                    + "shows for the tenant at this moment, and the score they give. Needs tenant:write.")
    @PostMapping("/snapshots")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = TenantScopes.WRITE, audit = "tenant.health_snapshot.recorded",
            resourceType = "health_snapshot", resourceId = "#result.snapshotId")
    SnapshotRecorded record(Caller caller, @RequestBody RecordSnapshotRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        ReportedMetrics metrics = request.metrics();
        if (metrics == null) {
            throw new InvalidField("metrics", "is required");
        }
        if (metrics.apiLatencyP99() == null && metrics.errorRate() == null && metrics.activeUsers() == null
                && metrics.storageUsage() == null) {
            throw new InvalidField("metrics", "must report at least one of apiLatencyP99, errorRate, activeUsers, "
                    + "storageUsage");
        }
        TenantHealth.Recorded recorded = health.record(tenant, caller.principal(), new HealthScore.Reported(
                metrics.apiLatencyP99(), metrics.errorRate(), metrics.activeUsers(), metrics.storageUsage()));
        return new SnapshotRecorded(recorded.snapshotId(), recorded.recordedAt(), recorded.assessment().score(),
                recorded.assessment().status());
    }

    @Operation(summary = "Get current health status", operationId = "getCurrentHealth",
            description = "The score now: the request log's last window and the latest snapshot's reported "
                    + "metrics, with each issue that lowered it. Needs tenant:read.")
    @GetMapping("/current")
    @RequiredControls(scopes = TenantScopes.READ, audit = "tenant.health.read", resourceType = "tenant_health")
    CurrentHealth current(Caller caller) {
        HealthScore.Assessment assessment = health.current(TenantRequired.tenantOf(caller));
        return new CurrentHealth(assessment.status(), assessment.score(), assessment.metrics(), assessment.issues());
    }

    @Operation(summary = "Get health trends", operationId = "getHealthTrends",
            description = "The mean score of the stored snapshots per hour (period 24h) or per day (7d, 30d), "
                    + "oldest first; buckets without snapshots are left out. Needs tenant:read.")
    @GetMapping("/trends")
    @RequiredControls(scopes = TenantScopes.READ, audit = "tenant.health_trends.read", resourceType = "tenant_health")
    HealthTrend trends(Caller caller, @Parameter(description = "24h, 7d (default) or 30d")
                       @RequestParam(required = false) @Nullable String period) {
        TenantHealth.Period parsed = TenantHealth.Period.parse(period);
        return new HealthTrend(parsed.label(), health.trend(TenantRequired.tenantOf(caller), parsed));
    }
}
