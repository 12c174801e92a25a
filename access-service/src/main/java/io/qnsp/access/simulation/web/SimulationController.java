package io.qnsp.access.simulation.web;

import io.qnsp.access.AccessScopes;
import io.qnsp.access.decision.AccessQuery;
import io.qnsp.access.policy.AccessRequest;
import io.qnsp.access.policy.Decision;
import io.qnsp.access.policy.Effect;
import io.qnsp.access.policy.PolicyDefinition;
import io.qnsp.access.simulation.ImpactAnalysis;
import io.qnsp.access.simulation.ImpactReport;
import io.qnsp.access.simulation.ProposedChange;
import io.qnsp.access.simulation.SimulationManagement;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Policy simulation: single and batch decisions recorded in the simulation history but never in the decision log,
 * impact analysis of a policy change, and the history. All need {@code access:read}.
 */
@Tag(name = "Policy simulation")
@RestController
@RequestMapping("/access/v1/simulate")
class SimulationController {

    static final int MAX_BATCH = 1000;
    static final int MAX_SAMPLES = 100;
    static final int MAX_PAGE = 100;

    record SimulationResponse(Effect decision, List<Decision.Reason> reasons, List<String> effectivePolicies,
                              Instant simulatedAt,
                              @Schema(description = "the simulation's entry in the history") UUID simulationId) {
    }

    record BatchItem(@Nullable String requestId, AccessQuery.@Nullable AccessPrincipal principal,
                     AccessQuery.@Nullable AccessResource resource, @Nullable String action,
                     AccessQuery.@Nullable AccessContext context) {
    }

    record BatchRequest(@Nullable List<BatchItem> requests) {
    }

    record BatchResult(String requestId, Effect decision, List<Decision.Reason> reasons) {
    }

    record BatchSummary(int total, int allowed, int denied) {
    }

    record BatchResponse(List<BatchResult> results, BatchSummary summary, UUID simulationId) {
    }

    record NewPolicy(@Nullable String name, @Nullable String description,
                     @Schema(allowableValues = {"allow", "deny"}) @Nullable String effect,
                     @Nullable List<String> principals, @Nullable List<String> resources,
                     @Nullable List<String> actions, @Nullable Map<String, Object> conditions) {
    }

    record PolicyChange(@Schema(allowableValues = {"create", "update", "delete"}) @Nullable String type,
                        @Schema(description = "the policy replaced or deleted") @Nullable String policyId,
                        @Schema(description = "the policy created, or the replacement") @Nullable NewPolicy newPolicy) {
    }

    record ImpactRequest(@Nullable PolicyChange policyChange,
                         @Schema(description = "how many flipped decisions to show, 0 to 100 (10 by default)")
                         @Nullable Integer sampleSize) {
    }

    record HistoryEntry(UUID simulationId, @Schema(allowableValues = {"single", "batch", "impact"}) String type,
                        String requestedBy, Instant requestedAt, Map<String, Object> summary) {
    }

    record HistoryResponse(List<HistoryEntry> simulations, long total) {
    }

    private final SimulationManagement simulations;
    private final ImpactAnalysis impact;

    SimulationController(SimulationManagement simulations, ImpactAnalysis impact) {
        this.simulations = simulations;
        this.impact = impact;
    }

    @Operation(summary = "Simulate an access request", operationId = "simulateAccess",
            description = "The decision the tenant's current policies and JIT grants would make, with its reasons; "
                    + "nothing is recorded as a real decision. A context timestamp evaluates the request as of that "
                    + "moment. Needs access:read.")
    @PostMapping
    @RequiredControls(scopes = AccessScopes.READ, audit = "access.simulation.run", resourceType = "simulation",
            resourceId = "#result.simulationId")
    SimulationResponse simulate(Caller caller, @RequestBody AccessQuery query) {
        String tenant = TenantRequired.tenantOf(caller);
        SimulationManagement.Simulated simulated = simulations.single(tenant, caller.principal(), query.toRequest());
        Decision decision = simulated.decision();
        return new SimulationResponse(decision.decision(), decision.reasons(), decision.effectivePolicies(),
                simulated.simulatedAt(), simulated.simulationId());
    }

    @Operation(summary = "Simulate a batch of access requests", operationId = "simulateAccessBatch",
            description = "1 to 1000 requests, each answered under its requestId, in order. Needs access:read.")
    @PostMapping("/batch")
    @RequiredControls(scopes = AccessScopes.READ, audit = "access.simulation.batch_run", resourceType = "simulation",
            resourceId = "#result.simulationId")
    BatchResponse batch(Caller caller, @RequestBody BatchRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        List<SimulationManagement.BatchItem> items = new ArrayList<>();
        if (request.requests() == null || request.requests().isEmpty()) {
            problems.add("requests", "must hold at least one request");
        } else if (request.requests().size() > MAX_BATCH) {
            problems.add("requests", "must hold at most " + MAX_BATCH + " requests");
        } else {
            for (int i = 0; i < request.requests().size(); i++) {
                BatchItem item = request.requests().get(i);
                String prefix = "requests[" + i + "].";
                if (item == null) {
                    problems.add("requests[" + i + "]", "must be a request");
                    continue;
                }
                if (item.requestId() == null || item.requestId().isBlank()) {
                    problems.add(prefix + "requestId", "is required");
                }
                AccessRequest parsed = new AccessQuery(item.principal(), item.resource(), item.action(),
                        item.context()).toRequest(prefix, problems);
                if (parsed != null && item.requestId() != null) {
                    items.add(new SimulationManagement.BatchItem(item.requestId(), parsed));
                }
            }
        }
        problems.throwIfAny();
        SimulationManagement.BatchResult result = simulations.batch(tenant, caller.principal(), items);
        return new BatchResponse(result.results().stream().map(decided -> new BatchResult(decided.requestId(),
                decided.decision().decision(), decided.decision().reasons())).toList(),
                new BatchSummary(items.size(), result.allowed(), result.denied()), result.simulationId());
    }

    @Operation(summary = "Analyze the impact of a policy change", operationId = "analyzePolicyImpact",
            description = "Replays every known request (the distinct requests of the decision log, and each "
                    + "principal x resource x action the policies name exactly) under the current policies and under "
                    + "the changed ones, and counts exactly the decisions that flip: permissionsGranted (deny to "
                    + "allow) and permissionsRevoked (allow to deny). Warns of a change that allows * and of one "
                    + "that revokes an administrator's access. Nothing changes; the answer can be fetched again by its "
                    + "analysisId. Needs access:read.")
    @FailureResponse(status = 404, description = "policyChange.policyId names no policy of the tenant")
    @PostMapping("/impact")
    @RequiredControls(scopes = AccessScopes.READ, audit = "access.simulation.impact_analyzed",
            resourceType = "impact_analysis", resourceId = "#result.analysisId", metering = "access.policy_simulation")
    ImpactReport analyze(Caller caller, @RequestBody ImpactRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        PolicyChange change = request.policyChange();
        ProposedChange proposed = null;
        if (change == null) {
            problems.add("policyChange", "is required");
        } else {
            String type = change.type();
            if (type == null || !List.of("create", "update", "delete").contains(type)) {
                problems.add("policyChange.type", "must be create, update or delete");
            }
            if (type != null && !type.equals("create") && (change.policyId() == null || change.policyId().isBlank())) {
                problems.add("policyChange.policyId", "is required to " + type + " a policy");
            }
            if ("create".equals(type) && change.policyId() != null) {
                problems.add("policyChange.policyId", "must be left out of a creation");
            }
            PolicyDefinition definition = null;
            if (type != null && !type.equals("delete")) {
                NewPolicy policy = change.newPolicy();
                if (policy == null) {
                    problems.add("policyChange.newPolicy", "is required to " + type + " a policy");
                } else {
                    definition = PolicyDefinition.of(policy.name(), policy.description(), policy.effect(),
                            policy.principals(), policy.resources(), policy.actions(), policy.conditions(),
                            "policyChange.newPolicy.", problems);
                }
            }
            if (type != null) {
                proposed = new ProposedChange(type, change.policyId(), definition);
            }
        }
        int samples = request.sampleSize() == null ? 10 : request.sampleSize();
        if (samples < 0 || samples > MAX_SAMPLES) {
            problems.add("sampleSize", "must be between 0 and " + MAX_SAMPLES);
        }
        problems.throwIfAny();
        return impact.analyze(tenant, caller.principal(), proposed, samples);
    }

    @Operation(summary = "Get an impact analysis again", operationId = "getImpactAnalysis",
            description = "The answer an impact analysis of the tenant gave, by its analysisId (additive to the "
                    + "reference). Needs access:read.")
    @GetMapping("/impact/{analysisId}")
    @RequiredControls(scopes = AccessScopes.READ)
    ImpactReport getAnalysis(Caller caller, @PathVariable String analysisId) {
        return impact.get(TenantRequired.tenantOf(caller), analysisId);
    }

    @Operation(summary = "Get the simulation history", operationId = "getSimulationHistory",
            description = "The tenant's simulations, batches and impact analyses, newest first. Needs access:read.")
    @GetMapping("/history")
    @RequiredControls(scopes = AccessScopes.READ, audit = "access.simulation.history_read",
            resourceType = "simulation")
    HistoryResponse history(Caller caller,
                            @Parameter(description = "1 to 100, 50 by default") @RequestParam(required = false)
                            @Nullable Integer limit,
                            @Parameter(description = "entries to skip, 0 by default") @RequestParam(required = false)
                            @Nullable Integer offset,
                            @Parameter(description = "ISO 8601: only simulations run at or after it")
                            @RequestParam(required = false) @Nullable String since) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        int pageSize = limit == null ? 50 : limit;
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            problems.add("limit", "must be between 1 and " + MAX_PAGE);
        }
        int skip = offset == null ? 0 : offset;
        if (skip < 0) {
            problems.add("offset", "must not be negative");
        }
        Instant from = null;
        if (since != null) {
            try {
                from = OffsetDateTime.parse(since).toInstant();
            } catch (DateTimeParseException e) {
                problems.add("since", "must be an ISO 8601 date-time with offset, e.g. 2025-01-31T09:00:00Z");
            }
        }
        problems.throwIfAny();
        SimulationManagement.History history = simulations.history(tenant, from, pageSize, skip);
        return new HistoryResponse(history.simulations().stream().map(entry -> new HistoryEntry(entry.simulationId(),
                entry.type(), entry.requestedBy(), entry.requestedAt(), entry.summary())).toList(), history.total());
    }
}
