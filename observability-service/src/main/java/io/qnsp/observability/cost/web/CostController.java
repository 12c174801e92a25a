package io.qnsp.observability.cost.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.observability.ObservabilityScopes;
import io.qnsp.observability.cost.Budget;
import io.qnsp.observability.cost.BudgetAlert;
import io.qnsp.observability.cost.CostAllocation;
import io.qnsp.observability.cost.CostManagement;
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

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Cost allocations of the caller's tenant, its budgets with their alerts, and the month's cost summary. */
@Tag(name = "Cost allocation")
@RestController
@RequestMapping("/observability/v1/costs")
class CostController {

    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 1000;

    record PeriodBody(@Schema(description = "ISO 8601") @Nullable String start,
                      @Schema(description = "ISO 8601, after start") @Nullable String end) {
    }

    record RecordAllocationRequest(@Nullable String resourceId,
                                   @Schema(description = "the platform service comes first: kms.key, vault.secret, "
                                           + "storage.bucket") @Nullable String resourceType,
                                   @Nullable String costCenter,
                                   @Schema(description = "at least 0, at most 6 decimals") @Nullable BigDecimal amount,
                                   @Schema(description = "the platform's currency (USD by default)")
                                   @Nullable String currency,
                                   @Nullable PeriodBody period,
                                   @Nullable Map<String, String> tags) {
    }

    record AllocationRecorded(UUID allocationId, boolean recorded) {
    }

    record Period(Instant start, Instant end) {
    }

    record AllocationView(UUID allocationId, String resourceId, String resourceType, String costCenter,
                          BigDecimal amount, String currency, Period period, Map<String, String> tags,
                          Instant recordedAt) {
    }

    record AllocationSummary(BigDecimal totalAmount, Map<String, BigDecimal> byCostCenter) {
    }

    record AllocationList(List<AllocationView> allocations, AllocationSummary summary) {
    }

    record ScopeBody(@Nullable List<String> costCenters, @Nullable List<String> resourceTypes) {
    }

    record AlertBody(@Schema(description = "percent of the amount, above 0 and at most 1000")
                     @Nullable BigDecimal threshold,
                     @Nullable List<String> notificationChannels) {
    }

    record CreateBudgetRequest(@Nullable String name,
                               @Schema(description = "greater than 0") @Nullable BigDecimal amount,
                               @Nullable String currency,
                               @Schema(allowableValues = {"monthly", "quarterly", "yearly"}) @Nullable String period,
                               @Schema(description = "what counts against the budget; absent or empty for everything")
                               @Nullable ScopeBody scope,
                               @Schema(description = "absent or empty: one alert at 100%")
                               @Nullable List<AlertBody> alerts) {
    }

    record BudgetCreated(UUID budgetId, String name, Instant createdAt, BigDecimal amount, String currency,
                         String period, List<BigDecimal> alertThresholds) {
    }

    record Trend(@Schema(description = "percent against the previous period") BigDecimal change,
                 @Schema(allowableValues = {"up", "down", "stable"}) String direction,
                 BigDecimal previousTotal) {
    }

    record BudgetAlertView(UUID budgetId, String budgetName, BigDecimal threshold, BigDecimal spent,
                           BigDecimal budgetAmount, Instant periodStart, Instant periodEnd, Instant breachedAt) {
    }

    record CostSummary(@Schema(description = "the calendar month, as 2026-12") String period, BigDecimal totalCost,
                       String currency,
                       @Schema(description = "per platform service; kms, vault and storage always present")
                       Map<String, BigDecimal> byService,
                       Trend trend,
                       @Schema(description = "budget alerts raised in periods overlapping this month")
                       List<BudgetAlertView> budgetAlerts) {
    }

    private final CostManagement costs;

    CostController(CostManagement costs) {
        this.costs = costs;
    }

    @Operation(summary = "Record cost allocation", operationId = "recordCostAllocation",
            description = "Checks the tenant's budgets covering it: each alert threshold crossed in the allocation's "
                    + "period is recorded and audited once. Needs observability:write.")
    @PostMapping("/allocations")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = ObservabilityScopes.WRITE, audit = "observability.cost_allocation.recorded",
            resourceType = "cost_allocation", resourceId = "#result.allocationId")
    AllocationRecorded record(Caller caller, @RequestBody RecordAllocationRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        PeriodBody period = request.period();
        CostAllocation allocation = costs.record(tenant, new CostManagement.AllocationDefinition(request.resourceId(),
                request.resourceType(), request.costCenter(), request.amount(), request.currency(), period != null,
                period == null ? null : period.start(), period == null ? null : period.end(), request.tags()),
                caller.principal());
        return new AllocationRecorded(allocation.allocationId(), true);
    }

    @Operation(summary = "Query cost allocations", operationId = "queryCostAllocations",
            description = "The tenant's allocations whose period overlaps [startTime, endTime), in period order; the "
                    + "summary totals every matching allocation. Needs observability:read.")
    @GetMapping("/allocations")
    @RequiredControls(scopes = ObservabilityScopes.READ, audit = "observability.cost_allocations.queried",
            resourceType = "cost_allocation")
    AllocationList allocations(Caller caller,
                               @Parameter(description = "Filter by cost center")
                               @RequestParam(required = false) @Nullable String costCenter,
                               @Parameter(description = "Filter by resource type")
                               @RequestParam(required = false) @Nullable String resourceType,
                               @Parameter(description = "ISO 8601 start time")
                               @RequestParam(required = false) @Nullable String startTime,
                               @Parameter(description = "ISO 8601 end time")
                               @RequestParam(required = false) @Nullable String endTime,
                               @Parameter(description = "at most this many allocations listed (1 to 1000, default "
                                       + "500)") @RequestParam(required = false) @Nullable Integer limit) {
        String tenant = TenantRequired.tenantOf(caller);
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw new InvalidField("limit", "must be from 1 to " + MAX_LIMIT);
        }
        CostManagement.AllocationQuery found = costs.allocations(tenant, costCenter, resourceType, startTime, endTime,
                limit == null ? DEFAULT_LIMIT : limit);
        return new AllocationList(found.allocations().stream().map(a -> new AllocationView(a.allocationId(),
                a.resourceId(), a.resourceType(), a.costCenter(), a.amount(), a.currency(),
                new Period(a.periodStart(), a.periodEnd()), a.tags(), a.recordedAt())).toList(),
                new AllocationSummary(found.totalAmount(), found.byCostCenter()));
    }

    @Operation(summary = "Create cost budget", operationId = "createCostBudget",
            description = "Spent per calendar period (UTC) over the allocations in scope, by the start of their "
                    + "periods. Needs observability:write.")
    @FailureResponse(status = 409, description = "the tenant has a budget of that name already")
    @PostMapping("/budgets")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = ObservabilityScopes.WRITE, audit = "observability.budget.created",
            resourceType = "budget", resourceId = "#result.budgetId")
    BudgetCreated createBudget(Caller caller, @RequestBody CreateBudgetRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        ScopeBody scope = request.scope();
        List<CostManagement.AlertDefinition> alerts = request.alerts() == null ? null : request.alerts().stream()
                .map(a -> a == null ? null : new CostManagement.AlertDefinition(a.threshold(),
                        a.notificationChannels())).toList();
        Budget budget = costs.createBudget(tenant, new CostManagement.BudgetDefinition(request.name(),
                request.amount(), request.currency(), request.period(), scope == null ? null : scope.costCenters(),
                scope == null ? null : scope.resourceTypes(), alerts), caller.principal());
        return new BudgetCreated(budget.budgetId(), budget.name(), budget.createdAt(), budget.amount(),
                budget.currency(), budget.period().label(),
                budget.alerts().stream().map(Budget.Alert::threshold).toList());
    }

    @Operation(summary = "Get cost summary", operationId = "getCostSummary",
            description = "The current calendar month's allocations (by the start of their periods), per service, "
                    + "against the month before, with the budget alerts of the month. Needs observability:read.")
    @GetMapping("/summary")
    @RequiredControls(scopes = ObservabilityScopes.READ, audit = "observability.cost_summary.read",
            resourceType = "cost_summary")
    CostSummary summary(Caller caller) {
        String tenant = TenantRequired.tenantOf(caller);
        CostManagement.Summary summary = costs.summary(tenant);
        return new CostSummary(summary.period(), summary.totalCost(), summary.currency(), summary.byService(),
                new Trend(summary.change(), summary.direction(), summary.previousTotal()),
                summary.budgetAlerts().stream().map(CostController::alert).toList());
    }

    private static BudgetAlertView alert(BudgetAlert alert) {
        return new BudgetAlertView(alert.budgetId(), alert.budgetName(), alert.threshold(), alert.spent(),
                alert.budgetAmount(), alert.periodStart(), alert.periodEnd(), alert.breachedAt());
    }
}
