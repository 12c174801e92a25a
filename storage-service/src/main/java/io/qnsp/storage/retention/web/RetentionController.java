package io.qnsp.storage.retention.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.storage.StorageScopes;
import io.qnsp.storage.retention.LegalHold;
import io.qnsp.storage.retention.RetentionManagement;
import io.qnsp.storage.retention.RetentionPolicy;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
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
import java.util.UUID;

/**
 * Retention management: policies that keep objects for a period and then delete, archive or report them, and legal
 * holds that keep objects untouched until released. Policies need {@code storage:govern}, holds
 * {@code storage:legal-hold}, reading {@code storage:read}.
 */
@Tag(name = "Retention management")
@RestController
@RequestMapping("/storage/v1/retention")
class RetentionController {

    record RetentionPolicyScope(@Schema(description = "bucket names; every bucket when left out") @Nullable
                          List<String> buckets,
                          @Schema(description = "public, internal, confidential or restricted: objects whose highest "
                                  + "classification label is one of them; every object when left out")
                          @Nullable List<String> classifications) {
    }

    record RetentionPolicyActions(@Schema(description = "what happens when an object's period ends: delete, archive "
            + "(read-only from then on) or notify (an audit event)") @Nullable String onExpiry) {
    }

    record CreateRetentionPolicyRequest(@Nullable String name,
                               @Schema(description = "ISO 8601 duration counted from when the object was written, "
                                       + "e.g. P30D, P7Y, PT12H") @Nullable String retentionPeriod,
                               @Nullable RetentionPolicyScope scope, @Nullable RetentionPolicyActions actions) {
    }

    record RetentionPolicyCreated(UUID policyId, String name, Instant createdAt) {
    }

    record RetentionPolicyView(UUID policyId, String name, String retentionPeriod, List<String> buckets,
                      List<String> classifications, String onExpiry, Instant createdAt) {
    }

    record RetentionPolicyList(List<RetentionPolicyView> policies) {
    }

    record LegalHoldScope(@Schema(description = "ids of objects to hold") @Nullable List<String> objectIds,
                     @Schema(description = "bucket names: every object in them is held, including those written "
                             + "later") @Nullable List<String> buckets) {
    }

    record CreateLegalHoldRequest(@Nullable String name, @Nullable String reason, @Nullable LegalHoldScope scope,
                             @Schema(description = "ISO 8601 instant the hold lapses at; never when null")
                             @Nullable String expiresAt) {
    }

    record LegalHoldCreated(UUID holdId, String name, @Schema(description = "objects the hold covers now")
                       long objectsHeld, Instant createdAt) {
    }

    record ReleaseLegalHoldRequest(@Schema(description = "why the hold ends: required, kept with the hold") @Nullable
                          String reason) {
    }

    record LegalHoldReleased(UUID holdId, Instant releasedAt,
                        @Schema(description = "objects the hold covered when it was released (another active hold "
                                + "may still cover some)") long objectsReleased) {
    }

    record LegalHoldView(UUID holdId, String name, String reason, List<UUID> objectIds, List<UUID> bucketIds,
                    boolean active, long objectsCovered, @Nullable Instant expiresAt, String createdBy,
                    Instant createdAt, @Nullable Instant releasedAt, @Nullable String releasedBy,
                    @Nullable String releaseReason) {

        static LegalHoldView of(RetentionManagement.HoldCoverage coverage) {
            LegalHold h = coverage.hold();
            return new LegalHoldView(h.holdId(), h.name(), h.reason(), h.objectIds(), h.bucketIds(), coverage.active(),
                    coverage.objectsCovered(), h.expiresAt(), h.createdBy(), h.createdAt(), h.releasedAt(),
                    h.releasedBy(), h.releaseReason());
        }
    }

    record LegalHoldList(List<LegalHoldView> holds) {
    }

    private final RetentionManagement retention;

    RetentionController(RetentionManagement retention) {
        this.retention = retention;
    }

    @Operation(summary = "Create a retention policy", operationId = "createRetentionPolicy",
            description = "Objects in scope are kept for the period after they were written: until it ends they are "
                    + "neither overwritten nor deleted (409); then the expiry action is applied once. When several "
                    + "policies apply, the one keeping the object longest decides. Needs storage:govern.")
    @ApiResponse(responseCode = "201", description = "The policy was created")
    @FailureResponse(status = 409, description = "The tenant already has a retention policy of this name")
    @PostMapping("/policies")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = StorageScopes.GOVERN, audit = "storage.retention_policy.created",
            resourceType = "retention_policy", resourceId = "#result.policyId")
    RetentionPolicyCreated createRetentionPolicy(Caller caller, @RequestBody CreateRetentionPolicyRequest request) {
        RetentionPolicyScope scope = request.scope();
        RetentionPolicy policy = retention.createPolicy(TenantRequired.tenantOf(caller), request.name(),
                request.retentionPeriod(), scope == null ? null : scope.buckets(),
                scope == null ? null : scope.classifications(),
                request.actions() == null ? null : request.actions().onExpiry(), caller.principal());
        return new RetentionPolicyCreated(policy.policyId(), policy.name(), policy.createdAt());
    }

    @Operation(summary = "List retention policies, oldest first", operationId = "listRetentionPolicies",
            description = "Needs storage:read.")
    @GetMapping("/policies")
    @RequiredControls(scopes = StorageScopes.READ)
    RetentionPolicyList listRetentionPolicies(Caller caller) {
        return new RetentionPolicyList(retention.policies(TenantRequired.tenantOf(caller)).stream()
                .map(p -> new RetentionPolicyView(p.policyId(), p.name(), p.retentionPeriod(), p.buckets(),
                        p.classifications(), p.onExpiry(), p.createdAt()))
                .toList());
    }

    @Operation(summary = "Create a legal hold", operationId = "createLegalHold",
            description = "The objects named, and every object in the buckets named, can be neither overwritten nor "
                    + "deleted (409) while the hold is active: until it is released or its expiresAt passes. Needs "
                    + "storage:legal-hold.")
    @ApiResponse(responseCode = "201", description = "The hold is in force")
    @PostMapping("/holds")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = StorageScopes.LEGAL_HOLD, audit = "storage.legal_hold.created",
            resourceType = "legal_hold", resourceId = "#result.holdId", auditDetails = "{'reason': #request.reason()}")
    LegalHoldCreated createLegalHold(Caller caller, @RequestBody CreateLegalHoldRequest request) {
        LegalHoldScope scope = request.scope();
        RetentionManagement.HoldCoverage created = retention.createHold(TenantRequired.tenantOf(caller),
                request.name(), request.reason(), scope == null ? null : scope.objectIds(),
                scope == null ? null : scope.buckets(), request.expiresAt(), caller.principal());
        return new LegalHoldCreated(created.hold().holdId(), created.hold().name(), created.objectsCovered(),
                created.hold().createdAt());
    }

    @Operation(summary = "Release a legal hold", operationId = "releaseLegalHold",
            description = "Ends the hold; the reason is required, kept with the hold with who released it and when "
                    + "(GET /retention/holds/{holdId}), and written into the release's audit event. Objects it covered "
                    + "can be changed again unless another hold or a retention period keeps them. Needs "
                    + "storage:legal-hold.")
    @FailureResponse(status = 409, description = "The hold was already released")
    @PostMapping("/holds/{holdId}/release")
    @RequiredControls(scopes = StorageScopes.LEGAL_HOLD, audit = "storage.legal_hold.released",
            resourceType = "legal_hold", resourceId = "#holdId", auditDetails = "{'reason': #request?.reason()}")
    LegalHoldReleased releaseLegalHold(Caller caller, @PathVariable String holdId,
                                  @RequestBody(required = false) @Nullable ReleaseLegalHoldRequest request) {
        RetentionManagement.HoldCoverage released = retention.releaseHold(TenantRequired.tenantOf(caller), holdId,
                request == null ? null : request.reason(), caller.principal());
        return new LegalHoldReleased(released.hold().holdId(), released.hold().releasedAt(), released.objectsCovered());
    }

    @Operation(summary = "List legal holds, oldest first", operationId = "listLegalHolds",
            description = "Active and released, with what each covers now. Needs storage:read.")
    @GetMapping("/holds")
    @RequiredControls(scopes = StorageScopes.READ)
    LegalHoldList listLegalHolds(Caller caller) {
        return new LegalHoldList(retention.holds(TenantRequired.tenantOf(caller)).stream().map(LegalHoldView::of).toList());
    }

    @Operation(summary = "Get a legal hold", operationId = "getLegalHold",
            description = "With its release (who, when, why) once released. Needs storage:read.")
    @GetMapping("/holds/{holdId}")
    @RequiredControls(scopes = StorageScopes.READ)
    LegalHoldView getLegalHold(Caller caller, @PathVariable String holdId) {
        return LegalHoldView.of(retention.hold(TenantRequired.tenantOf(caller), holdId));
    }
}
