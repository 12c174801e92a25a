package io.qnsp.access.crosstenant.web;

import io.qnsp.access.AccessScopes;
import io.qnsp.access.crosstenant.CrossTenantAnalysis;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cross-tenant analysis, for the platform operator only: every endpoint needs the admin and platform_admin roles,
 * so a tenant admin is refused (403) and no tenant's data reaches anyone else.
 */
@Tag(name = "Cross-tenant analysis")
@RestController
@RequestMapping("/access/v1/cross-tenant")
class CrossTenantController {

    static final int MAX_TENANTS = 100;

    record OverviewRequest(@Schema(description = "the tenants to show; every tenant the service knows when left out")
                           @Nullable List<String> tenantIds,
                           @Schema(description = "whether to compute crossTenantAccess from the decision log (true "
                                   + "by default)") @Nullable Boolean includeMetrics) {
    }

    record CompareRequest(@Schema(description = "2 to 100 tenants") @Nullable List<String> tenantIds,
                          @Schema(allowableValues = {"policies", "roles", "permissions"},
                                  description = "policies (by name) by default") @Nullable String comparisonType,
                          @Schema(description = "only policies naming one of these resource types")
                          @Nullable List<String> resourceTypes) {
    }

    record AnomalyRequest(@Nullable List<String> tenantIds,
                          @Schema(description = "unusual_access, policy_drift, privilege_escalation; all by default")
                          @Nullable List<String> anomalyTypes,
                          @Schema(allowableValues = {"low", "medium", "high", "critical"},
                                  description = "the lowest severity shown; all by default") @Nullable String severity,
                          @Schema(description = "ISO 8601; 30 days ago by default") @Nullable String since) {
    }

    private final CrossTenantAnalysis analysis;

    CrossTenantController(CrossTenantAnalysis analysis) {
        this.analysis = analysis;
    }

    @Operation(summary = "Get the cross-tenant access overview", operationId = "getCrossTenantOverview",
            description = "Per tenant: the users (principals of type user its decision log, JIT requests and "
                    + "policies name), roles (groups), and access policies; and the allowed decisions of each tenant "
                    + "for principals whose home (the tenant they were first seen in) is another. Needs the "
                    + "platform_admin role.")
    @PostMapping("/overview")
    @RequiredControls(admin = true, roles = AccessScopes.PLATFORM_ADMIN, audit = "access.cross_tenant.overview_read",
            resourceType = "tenant")
    CrossTenantAnalysis.Overview overview(Caller caller, @RequestBody(required = false) @Nullable OverviewRequest body) {
        List<String> tenants = tenantIds(body == null ? null : body.tenantIds(), 0);
        return analysis.overview(tenants, body == null || body.includeMetrics() == null || body.includeMetrics());
    }

    @Operation(summary = "Compare access policies across tenants", operationId = "compareCrossTenantPolicies",
            description = "commonPolicies are held by every tenant, uniquePolicies by one only, differences by "
                    + "several in different forms. For roles the items are the groups policies name (with what they "
                    + "are given), for permissions the allowed \"action on resource\" (with who holds it). Needs the "
                    + "platform_admin role.")
    @PostMapping("/compare")
    @RequiredControls(admin = true, roles = AccessScopes.PLATFORM_ADMIN, audit = "access.cross_tenant.compared",
            resourceType = "tenant")
    CrossTenantAnalysis.ComparisonResult compare(Caller caller, @RequestBody CompareRequest body) {
        InvalidField.Problems problems = new InvalidField.Problems();
        List<String> tenants = List.of();
        try {
            tenants = tenantIds(body.tenantIds(), 2);
        } catch (InvalidField invalid) {
            problems.addAll(invalid);
        }
        String type = body.comparisonType() == null ? "policies" : body.comparisonType();
        if (!List.of("policies", "roles", "permissions").contains(type)) {
            problems.add("comparisonType", "must be policies, roles or permissions");
        }
        List<String> types = body.resourceTypes() == null ? List.of() : body.resourceTypes();
        for (int i = 0; i < types.size(); i++) {
            if (types.get(i) == null || types.get(i).isBlank()) {
                problems.add("resourceTypes[" + i + "]", "must not be blank");
            }
        }
        problems.throwIfAny();
        return analysis.compare(tenants, type, types);
    }

    @Operation(summary = "Query access anomalies across tenants", operationId = "queryCrossTenantAnomalies",
            description = "Derived from the decision log and the policy history: unusual_access (a principal "
                    + "refused at least 5 times and in half its decisions or more; or allowed into a tenant other "
                    + "than its home), policy_drift (a policy changed or deleted), privilege_escalation (a change "
                    + "that made a policy allow * or turned a deny into an allow; a JIT grant of wildcard "
                    + "permissions). Newest first. Needs the platform_admin role.")
    @PostMapping("/anomalies")
    @RequiredControls(admin = true, roles = AccessScopes.PLATFORM_ADMIN, audit = "access.cross_tenant.anomalies_read",
            resourceType = "tenant")
    CrossTenantAnalysis.Anomalies anomalies(Caller caller, @RequestBody(required = false) @Nullable AnomalyRequest body) {
        AnomalyRequest request = body == null ? new AnomalyRequest(null, null, null, null) : body;
        InvalidField.Problems problems = new InvalidField.Problems();
        List<String> tenants = List.of();
        try {
            tenants = tenantIds(request.tenantIds(), 0);
        } catch (InvalidField invalid) {
            problems.addAll(invalid);
        }
        List<String> types = request.anomalyTypes() == null || request.anomalyTypes().isEmpty()
                ? CrossTenantAnalysis.ANOMALY_TYPES : request.anomalyTypes();
        for (int i = 0; i < types.size(); i++) {
            if (!CrossTenantAnalysis.ANOMALY_TYPES.contains(types.get(i))) {
                problems.add("anomalyTypes[" + i + "]", "must be one of " + CrossTenantAnalysis.ANOMALY_TYPES);
            }
        }
        if (request.severity() != null && !CrossTenantAnalysis.SEVERITIES.contains(request.severity())) {
            problems.add("severity", "must be one of " + CrossTenantAnalysis.SEVERITIES);
        }
        Instant since = analysis.now().minus(Duration.ofDays(30));
        if (request.since() != null) {
            try {
                since = OffsetDateTime.parse(request.since()).toInstant();
            } catch (DateTimeParseException e) {
                problems.add("since", "must be an ISO 8601 date-time with offset, e.g. 2025-01-31T09:00:00Z");
            }
        }
        problems.throwIfAny();
        return analysis.anomalies(tenants, types, request.severity(), since);
    }

    @Operation(summary = "Get the cross-tenant access graph", operationId = "getCrossTenantGraph",
            description = "Tenants, principals and resources as nodes; membership edges from a principal to each "
                    + "tenant it was decided in (weight: decisions) and access edges to the resources it was allowed "
                    + "(weight: allowed decisions), the heaviest first. Needs the platform_admin role.")
    @GetMapping("/graph")
    @RequiredControls(admin = true, roles = AccessScopes.PLATFORM_ADMIN, audit = "access.cross_tenant.graph_read",
            resourceType = "tenant")
    CrossTenantAnalysis.Graph graph(Caller caller,
                                    @Parameter(description = "only these tenants (comma-separated, additive); all by "
                                            + "default") @RequestParam(required = false) @Nullable List<String> tenantIds,
                                    @Parameter(description = "the most access edges, 1 to 2000, 500 by default")
                                    @RequestParam(required = false) @Nullable Integer limit) {
        int edges = limit == null ? 500 : limit;
        if (edges < 1 || edges > 2000) {
            throw new InvalidField("limit", "must be between 1 and 2000");
        }
        return analysis.graph(tenantIds(tenantIds, 0), edges);
    }

    @Operation(summary = "Run a tenant isolation audit", operationId = "runIsolationAudit",
            description = "Runs real checks over the store: policies name only their own tenant's principals "
                    + "and resources, JIT grants belong to their request's tenant and principal, no JIT request was "
                    + "approved by its requester, no policy allows everything to everyone, no tenant allows "
                    + "principals homed in another. failed when a violation is high or critical, warning when only "
                    + "lower, passed otherwise; each audit is kept. Needs the platform_admin role.")
    @GetMapping("/isolation-audit")
    @RequiredControls(admin = true, roles = AccessScopes.PLATFORM_ADMIN, audit = "access.cross_tenant.isolation_audited",
            resourceType = "isolation_audit", resourceId = "#result.auditId")
    CrossTenantAnalysis.Audit audit(Caller caller,
                                    @Parameter(description = "only these tenants (comma-separated, additive); all by "
                                            + "default") @RequestParam(required = false) @Nullable List<String> tenantIds) {
        return analysis.audit(tenantIds(tenantIds, 0), caller.principal());
    }

    private static List<String> tenantIds(@Nullable List<String> values, int minimum) {
        List<String> clean = new ArrayList<>();
        if (values != null) {
            if (values.size() > MAX_TENANTS) {
                throw new InvalidField("tenantIds", "must name at most " + MAX_TENANTS + " tenants");
            }
            for (int i = 0; i < values.size(); i++) {
                String value = values.get(i);
                if (value == null || value.isBlank()) {
                    throw new InvalidField("tenantIds[" + i + "]", "must not be blank");
                }
                if (!clean.contains(value.strip())) {
                    clean.add(value.strip());
                }
            }
        }
        if (clean.size() < minimum) {
            throw new InvalidField("tenantIds", "must name at least " + minimum + " different tenants");
        }
        return clean;
    }
}
