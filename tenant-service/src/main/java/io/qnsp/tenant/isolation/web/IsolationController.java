package io.qnsp.tenant.isolation.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.AuthenticationRequired;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.tenant.TenantScopes;
import io.qnsp.tenant.isolation.IsolationAudits;
import io.qnsp.tenant.isolation.IsolationCheck;
import io.qnsp.tenant.isolation.IsolationManagement;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Isolation audits of the caller's tenant and the status they establish. */
@Tag(name = "Isolation verification")
@RestController
@RequestMapping("/tenant/v1/isolation")
class IsolationController {

    record CreateAuditRequest(@Schema(description = "categories to audit, any of data, network, compute, identity; "
            + "all when left out") @Nullable List<String> scope,
                              @Schema(allowableValues = {"quick", "standard", "comprehensive"},
                                      description = "how many of other tenants' items each check samples: 1, 10 "
                                              + "or 100; default standard") @Nullable String depth) {
    }

    record AuditCreated(String auditId, @Schema(allowableValues = "running") String status, Instant startedAt,
                        List<String> scope, String depth) {
    }

    record AuditReport(String auditId,
                       @Schema(allowableValues = {"running", "completed", "failed"}) String status,
                       List<String> scope, String depth, Instant startedAt, @Nullable Instant completedAt,
                       @Schema(description = "null while running") @Nullable ByCategory byCategory,
                       List<IsolationCheck> checks) {
    }

    /** Per category: isolated, warning, breach, or not_audited when outside the audit's scope. */
    record ByCategory(String data, String network, String compute, String identity) {

        static @Nullable ByCategory of(@Nullable Map<String, String> statuses) {
            return statuses == null ? null : new ByCategory(statuses.get("data"), statuses.get("network"),
                    statuses.get("compute"), statuses.get("identity"));
        }
    }

    record CurrentStatus(@Schema(allowableValues = {"isolated", "warning", "breach"}) String overallStatus,
                         ByCategory byCategory,
                         @Nullable Instant lastAuditAt, @Nullable String lastAuditId) {
    }

    private final IsolationManagement isolation;

    IsolationController(IsolationManagement isolation) {
        this.isolation = isolation;
    }

    @Operation(summary = "Create isolation audit", operationId = "createIsolationAudit",
            description = "Starts the audit's checks in the background: data (this service's tenant tables read for "
                    + "another tenant's rows), identity (the caller's token sent to other tenants' resources), network "
                    + "(API keys seen at the gateway for this tenant and another), compute (the tenant's quota "
                    + "counters). Needs tenant:write.")
    @PostMapping("/audits")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = TenantScopes.WRITE, audit = "tenant.isolation_audit.created",
            resourceType = "isolation_audit", resourceId = "#result.auditId")
    AuditCreated create(Caller caller, @RequestBody CreateAuditRequest request, HttpServletRequest http) {
        String tenant = TenantRequired.tenantOf(caller);
        String authorization = http.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AuthenticationRequired();
        }
        IsolationAudits.Audit audit = isolation.create(tenant, request.scope(), request.depth());
        isolation.run(audit, authorization.substring(7).strip());
        return new AuditCreated(audit.auditId(), audit.status(), audit.startedAt(), audit.scope(), audit.depth());
    }

    @Operation(summary = "Get an isolation audit and the checks it ran", operationId = "getIsolationAudit",
            description = "Needs tenant:read; another tenant's audit is not found.")
    @FailureResponse(status = 404, description = "no audit of that id in the caller's tenant")
    @GetMapping("/audits/{auditId}")
    @RequiredControls(scopes = TenantScopes.READ, audit = "tenant.isolation_audit.read",
            resourceType = "isolation_audit", resourceId = "#auditId")
    AuditReport audit(Caller caller, @PathVariable String auditId) {
        IsolationAudits.Audit audit = isolation.audit(TenantRequired.tenantOf(caller), auditId);
        return new AuditReport(audit.auditId(), audit.status(), audit.scope(), audit.depth(), audit.startedAt(),
                audit.completedAt(), ByCategory.of(audit.byCategory()), audit.checks());
    }

    @Operation(summary = "Get current isolation status", operationId = "getIsolationStatus",
            description = "From the latest completed audit; warning with every category not_audited before the "
                    + "first. Needs tenant:read.")
    @GetMapping("/current-status")
    @RequiredControls(scopes = TenantScopes.READ, audit = "tenant.isolation_status.read",
            resourceType = "isolation_audit")
    CurrentStatus currentStatus(Caller caller) {
        IsolationManagement.CurrentStatus status = isolation.currentStatus(TenantRequired.tenantOf(caller));
        return new CurrentStatus(status.overallStatus(), ByCategory.of(status.byCategory()), status.lastAuditAt(),
                status.lastAuditId());
    }
}
