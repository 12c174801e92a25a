package io.qnsp.access.jit.web;

import io.qnsp.access.AccessScopes;
import io.qnsp.access.jit.JitGrant;
import io.qnsp.access.jit.JitManagement;
import io.qnsp.access.jit.JitPolicy;
import io.qnsp.access.jit.JitRequest;
import io.qnsp.access.jit.NewJitPolicy;
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
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Just-in-time access: JIT policies ({@code access:write} to create, {@code access:read} to list), requests
 * ({@code access:request} to file one for oneself, {@code access:read} to list), their processing and the revocation
 * of grants ({@code access:approve}, plus an approver role for processing), the grant check ({@code access:check})
 * and the statistics ({@code access:read}).
 */
@Tag(name = "JIT access")
@RestController
@RequestMapping("/access/v1/jit")
class JitController {

    static final int MAX_PAGE = 100;
    static final Map<String, Duration> PERIODS = Map.of("24h", Duration.ofHours(24), "7d", Duration.ofDays(7),
            "30d", Duration.ofDays(30), "90d", Duration.ofDays(90));

    record TimeWindow(@Schema(description = "HH:mm, UTC") @Nullable String start,
                      @Schema(description = "HH:mm, UTC; before start spans midnight") @Nullable String end) {
    }

    record AutoApproveConditions(@Nullable TimeWindow timeWindow,
                                 @Schema(description = "0 to 100: a request is approved at once only when its "
                                         + "riskScore is given and at most this") @Nullable BigDecimal maxRiskScore) {
    }

    record CreateJitPolicyRequest(@Nullable String name, @Nullable String description,
                                  @Schema(description = "the resource types the policy covers; a type is covered by "
                                          + "one policy of the tenant at most") @Nullable List<String> resourceTypes,
                                  @Schema(description = "minutes, 1 to 10080") @Nullable Integer maxDuration,
                                  @Nullable Boolean requireApproval,
                                  @Schema(description = "roles one of which an approver holds; none means a tenant "
                                          + "admin") @Nullable List<String> approverRoles,
                                  @Nullable AutoApproveConditions autoApproveConditions) {
    }

    record JitPolicyCreated(UUID policyId, String name, Instant createdAt) {
    }

    record JitPolicyView(UUID policyId, String name, @Nullable String description, List<String> resourceTypes,
                         boolean requireApproval, int maxDuration, List<String> approverRoles) {
    }

    record JitPolicyList(List<JitPolicyView> policies) {
    }

    record CreateJitRequest(@Nullable String resourceType, @Nullable String resourceId,
                            @Schema(description = "the actions asked for; * stands for any run of characters")
                            @Nullable List<String> permissions,
                            @Nullable String justification,
                            @Schema(description = "minutes, at most the JIT policy's maxDuration")
                            @Nullable Integer duration,
                            @Nullable String ticketReference,
                            @Schema(description = "0 to 100: the requester's risk score from auth-service's risk "
                                    + "evaluation, when the caller has it (additive); auto-approval with a "
                                    + "maxRiskScore needs it") @Nullable BigDecimal riskScore) {
    }

    record JitRequestCreated(UUID requestId,
                             @Schema(allowableValues = {"pending", "approved", "denied"}) String status,
                             Instant requestedAt,
                             @Schema(description = "when the grant of a request approved at once expires")
                             @Nullable Instant expiresAt,
                             @Schema(description = "the roles one of which may approve a pending request; empty "
                                     + "when it was approved at once") List<String> approvers,
                             @Nullable UUID grantId) {
    }

    record JitRequestView(UUID requestId, String requesterId, String resourceType, String resourceId,
                          @Schema(allowableValues = {"pending", "approved", "denied"}) String status,
                          Instant requestedAt, List<String> permissions, int duration,
                          @Nullable String processedBy, @Nullable Instant processedAt, @Nullable UUID grantId) {

        static JitRequestView of(JitRequest request) {
            return new JitRequestView(request.requestId(), request.requesterId(), request.resourceType(),
                    request.resourceId(), request.status(), request.requestedAt(), request.permissions(),
                    request.durationMinutes(), request.processedBy(), request.processedAt(), request.grantId());
        }
    }

    record JitRequestList(List<JitRequestView> requests, long total) {
    }

    record ProcessRequest(@Schema(allowableValues = {"approve", "deny"}) @Nullable String decision,
                          @Nullable String reason,
                          @Schema(description = "minutes, instead of the requested duration; at most the policy's "
                                  + "maxDuration") @Nullable Integer modifiedDuration) {
    }

    record ProcessResponse(UUID requestId, @Schema(allowableValues = {"approved", "denied"}) String status,
                           String processedBy, Instant processedAt, @Nullable UUID grantId,
                           @Schema(description = "when the grant expires") @Nullable Instant expiresAt) {
    }

    record GrantView(UUID grantId, String resourceType, String resourceId, List<String> permissions,
                     Instant grantedAt, Instant expiresAt) {
    }

    record GrantList(List<GrantView> grants) {
    }

    record JitCheckRequest(@Nullable String principalId, @Nullable String resourceType, @Nullable String resourceId,
                           @Nullable String permission) {
    }

    record JitCheckResponse(boolean hasAccess, @Nullable UUID grantId, @Nullable Instant expiresAt) {
    }

    record RevokeRequest(@Nullable String reason) {
    }

    record RevokeResponse(UUID grantId, Instant revokedAt, String revokedBy) {
    }

    record ResourceCount(String resourceType, long count) {
    }

    record JitStats(@Schema(allowableValues = {"24h", "7d", "30d", "90d"}) String period, long totalRequests,
                    long approvedRequests, long deniedRequests,
                    @Schema(description = "requests still pending (additive)") long pendingRequests,
                    @Schema(description = "seconds from request to approval, over requests an approver approved "
                            + "(approvals at once are left out); 0 when there are none") double averageApprovalTime,
                    long activeGrants, List<ResourceCount> topResources) {
    }

    private final JitManagement jit;

    JitController(JitManagement jit) {
        this.jit = jit;
    }

    @Operation(summary = "Request just-in-time access", operationId = "requestJitAccess",
            description = "For the caller itself. The request falls under the JIT policy covering its resource type: "
                    + "without required approval, or when the policy's auto-approval conditions hold, it is approved "
                    + "at once and the grant is active from now for the duration; otherwise it waits for an "
                    + "approver. Needs access:request.")
    @PostMapping("/requests")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = AccessScopes.REQUEST, audit = "access.jit.requested", resourceType = "jit_request",
            resourceId = "#result.requestId", metering = "access.jit_request")
    JitRequestCreated request(Caller caller, @RequestBody CreateJitRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        text(request.resourceType(), "resourceType", problems);
        text(request.resourceId(), "resourceId", problems);
        List<String> permissions = namesOf(request.permissions(), "permissions", problems);
        if (request.justification() == null || request.justification().isBlank()) {
            problems.add("justification", "is required");
        } else if (request.justification().length() > 2048) {
            problems.add("justification", "must be at most 2048 characters");
        }
        if (request.duration() == null) {
            problems.add("duration", "is required (minutes)");
        } else if (request.duration() < 1) {
            problems.add("duration", "must be at least 1 minute");
        }
        if (request.ticketReference() != null && request.ticketReference().length() > 256) {
            problems.add("ticketReference", "must be at most 256 characters");
        }
        if (request.riskScore() != null && (request.riskScore().signum() < 0
                || request.riskScore().compareTo(BigDecimal.valueOf(100)) > 0)) {
            problems.add("riskScore", "must be between 0 and 100");
        }
        problems.throwIfAny();
        JitManagement.Requested requested = jit.request(tenant, caller.principal(), request.resourceType(),
                request.resourceId(), permissions, request.justification(), request.duration(),
                request.ticketReference(), request.riskScore());
        JitRequest filed = requested.request();
        return new JitRequestCreated(filed.requestId(), filed.status(), filed.requestedAt(),
                requested.grant() == null ? null : requested.grant().expiresAt(), filed.approvers(), filed.grantId());
    }

    @Operation(summary = "List JIT access requests", operationId = "listJitRequests",
            description = "Newest first. Needs access:read.")
    @GetMapping("/requests")
    @RequiredControls(scopes = AccessScopes.READ, audit = "access.jit.requests_listed", resourceType = "jit_request")
    JitRequestList list(Caller caller,
                        @Parameter(description = "pending, approved or denied") @RequestParam(required = false)
                        @Nullable String status,
                        @Parameter(description = "only the requests of this principal") @RequestParam(required = false)
                        @Nullable String requesterId,
                        @Parameter(description = "1 to 100, 50 by default") @RequestParam(required = false)
                        @Nullable Integer limit,
                        @Parameter(description = "requests to skip, 0 by default") @RequestParam(required = false)
                        @Nullable Integer offset) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (status != null && !JitRequest.STATUSES.contains(status)) {
            problems.add("status", "must be one of " + JitRequest.STATUSES);
        }
        int pageSize = limit == null ? 50 : limit;
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            problems.add("limit", "must be between 1 and " + MAX_PAGE);
        }
        int skip = offset == null ? 0 : offset;
        if (skip < 0) {
            problems.add("offset", "must not be negative");
        }
        problems.throwIfAny();
        return new JitRequestList(jit.list(tenant, status, requesterId, pageSize, skip).stream()
                .map(JitRequestView::of).toList(), jit.count(tenant, status, requesterId));
    }

    @Operation(summary = "Approve or deny a JIT access request", operationId = "processJitRequest",
            description = "The approver is never the requester (403) and holds one of the JIT policy's approver "
                    + "roles (a tenant admin when the policy names none; 403 otherwise). An approval's grant is "
                    + "active from now for the duration (modifiedDuration when given). Needs access:approve.")
    @FailureResponse(status = 409, description = "The request is no longer pending")
    @PostMapping("/requests/{requestId}/process")
    @RequiredControls(scopes = AccessScopes.APPROVE, audit = "access.jit.processed", resourceType = "jit_request",
            resourceId = "#requestId")
    ProcessResponse process(Caller caller, @PathVariable String requestId, @RequestBody ProcessRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.decision() == null || !List.of("approve", "deny").contains(request.decision())) {
            problems.add("decision", "must be approve or deny");
        }
        if (request.reason() != null && request.reason().length() > 2048) {
            problems.add("reason", "must be at most 2048 characters");
        }
        problems.throwIfAny();
        JitManagement.Requested processed = jit.process(tenant, caller, requestId,
                request.decision().equals("approve"), request.reason(), request.modifiedDuration());
        JitRequest done = processed.request();
        return new ProcessResponse(done.requestId(), done.status(), done.processedBy(), done.processedAt(),
                done.grantId(), processed.grant() == null ? null : processed.grant().expiresAt());
    }

    @Operation(summary = "Get a user's active JIT grants", operationId = "getUserJitGrants",
            description = "The grants not revoked and not expired now, latest expiry first. Needs access:read.")
    @GetMapping("/grants/user/{userId}")
    @RequiredControls(scopes = AccessScopes.READ, audit = "access.jit.grants_read", resourceType = "principal",
            resourceId = "#userId")
    GrantList grants(Caller caller, @PathVariable String userId) {
        return new GrantList(jit.activeGrants(TenantRequired.tenantOf(caller), userId).stream()
                .map(grant -> new GrantView(grant.grantId(), grant.resourceType(), grant.resourceId(),
                        grant.permissions(), grant.grantedAt(), grant.expiresAt())).toList());
    }

    @Operation(summary = "Check for active JIT access", operationId = "checkJitAccess",
            description = "Whether a grant active now lets the principal perform the permission on the resource; "
                    + "active means not revoked and now before its expiry. Needs access:check.")
    @PostMapping("/check")
    @RequiredControls(scopes = AccessScopes.CHECK, audit = "access.jit.checked", resourceType = "principal",
            resourceId = "#request.principalId")
    JitCheckResponse check(Caller caller, @RequestBody JitCheckRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        text(request.principalId(), "principalId", problems);
        text(request.resourceType(), "resourceType", problems);
        text(request.resourceId(), "resourceId", problems);
        text(request.permission(), "permission", problems);
        problems.throwIfAny();
        JitGrant grant = jit.grantFor(tenant, request.principalId(), request.resourceType(), request.resourceId(),
                request.permission());
        return grant == null ? new JitCheckResponse(false, null, null)
                : new JitCheckResponse(true, grant.grantId(), grant.expiresAt());
    }

    @Operation(summary = "Revoke an active JIT grant", operationId = "revokeJitGrant",
            description = "The grant stops taking part in decisions at once, on every instance. Needs access:approve.")
    @FailureResponse(status = 409, description = "The grant was revoked already or has expired")
    @PostMapping("/grants/{grantId}/revoke")
    @RequiredControls(scopes = AccessScopes.APPROVE, audit = "access.jit.grant_revoked", resourceType = "jit_grant",
            resourceId = "#grantId")
    RevokeResponse revoke(Caller caller, @PathVariable String grantId,
                          @RequestBody(required = false) @Nullable RevokeRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        String reason = request == null ? null : request.reason();
        if (reason != null && reason.length() > 2048) {
            throw new InvalidField("reason", "must be at most 2048 characters");
        }
        JitGrant revoked = jit.revoke(tenant, caller.principal(), grantId, reason);
        return new RevokeResponse(revoked.grantId(), revoked.revokedAt(), revoked.revokedBy());
    }

    @Operation(summary = "Create a JIT access policy", operationId = "createJitPolicy",
            description = "Needs access:write.")
    @FailureResponse(status = 409, description = "The name is taken, or a resource type is covered by another JIT "
            + "policy of the tenant")
    @PostMapping("/policies")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = AccessScopes.WRITE, audit = "access.jit.policy_created", resourceType = "jit_policy",
            resourceId = "#result.policyId")
    JitPolicyCreated createPolicy(Caller caller, @RequestBody CreateJitPolicyRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        AutoApproveConditions auto = request.autoApproveConditions();
        TimeWindow window = auto == null ? null : auto.timeWindow();
        NewJitPolicy policy = NewJitPolicy.of(request.name(), request.description(), request.resourceTypes(),
                request.maxDuration(), request.requireApproval(), request.approverRoles(),
                window == null ? null : window.start(), window == null ? null : window.end(),
                auto == null ? null : auto.maxRiskScore(), window != null);
        JitPolicy created = jit.createPolicy(tenant, caller.principal(), policy);
        return new JitPolicyCreated(created.policyId(), created.name(), created.createdAt());
    }

    @Operation(summary = "List JIT policies", operationId = "listJitPolicies", description = "Needs access:read.")
    @GetMapping("/policies")
    @RequiredControls(scopes = AccessScopes.READ, audit = "access.jit.policies_listed", resourceType = "jit_policy")
    JitPolicyList policies(Caller caller) {
        return new JitPolicyList(jit.policies(TenantRequired.tenantOf(caller)).stream()
                .map(p -> new JitPolicyView(p.policyId(), p.name(), p.description(), p.resourceTypes(),
                        p.requireApproval(), p.maxDurationMinutes(), p.approverRoles())).toList());
    }

    @Operation(summary = "Get JIT access statistics", operationId = "getJitStats",
            description = "Computed from the stored requests made in the period and the grants active now. Needs "
                    + "access:read.")
    @GetMapping("/stats")
    @RequiredControls(scopes = AccessScopes.READ, audit = "access.jit.stats_read", resourceType = "jit_request")
    JitStats stats(Caller caller,
                   @Parameter(description = "24h, 7d, 30d (the default) or 90d") @RequestParam(required = false)
                   @Nullable String period) {
        String tenant = TenantRequired.tenantOf(caller);
        String name = period == null ? "30d" : period;
        Duration length = PERIODS.get(name);
        if (length == null) {
            throw new InvalidField("period", "must be one of 24h, 7d, 30d, 90d");
        }
        JitManagement.Stats stats = jit.stats(tenant, length);
        return new JitStats(name, stats.total(), stats.approved(), stats.denied(), stats.pending(),
                stats.averageApprovalSeconds(), stats.activeGrants(), stats.topResources().stream()
                .map(count -> new ResourceCount(count.resourceType(), count.count())).toList());
    }

    private static void text(@Nullable String value, String field, InvalidField.Problems problems) {
        if (value == null || value.isBlank()) {
            problems.add(field, "is required");
        } else if (value.length() > 512) {
            problems.add(field, "must be at most 512 characters");
        }
    }

    private static List<String> namesOf(@Nullable List<String> values, String field, InvalidField.Problems problems) {
        if (values == null || values.isEmpty()) {
            problems.add(field, "must name at least one permission");
            return List.of();
        }
        List<String> clean = new java.util.ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null || value.isBlank() || value.length() > 256) {
                problems.add(field + "[" + i + "]", "must be 1 to 256 characters");
            } else if (!clean.contains(value.strip())) {
                clean.add(value.strip());
            }
        }
        if (clean.size() > 50) {
            problems.add(field, "must name at most 50 permissions");
        }
        return clean;
    }
}
