package io.qnsp.audit.retention.web;

import io.qnsp.audit.retention.PolicyDefinition;
import io.qnsp.audit.retention.RetentionPolicy;
import io.qnsp.audit.retention.RetentionPolicyManagement;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Retention policies (spec 002 "Retention Management"): a tenant's own, or the platform operator's when called with
 * the admin token. Reading needs {@code audit:retention}; creating and deleting also the admin role. Both a tenant's
 * JWT and the admin token call every operation, so the document lists both schemes (the platform's default).
 */
@Tag(name = "Retention")
@RestController
@RequestMapping("/v1/retention/policies")
class RetentionPolicyController {

    /** Which events a new policy covers; a list left out or empty restricts nothing. */
    record ScopeBody(@Nullable List<String> eventTypes, @Nullable List<String> services) {
    }

    /** Archiving of a new policy: off when left out; {@code destination} is required when it is enabled. */
    record ArchiveBody(@Nullable Boolean enabled, @Nullable String destination) {
    }

    record PolicyRequest(String name, String retentionPeriod, @Nullable ScopeBody scope,
                         @Nullable ArchiveBody archiveConfig) {

        PolicyDefinition definition() {
            return PolicyDefinition.of(name, retentionPeriod, scope == null ? null : scope.eventTypes(),
                    scope == null ? null : scope.services(), archiveConfig == null ? null : archiveConfig.enabled(),
                    archiveConfig == null ? null : archiveConfig.destination());
        }
    }

    /** A policy's scope as stored: empty lists restrict nothing. */
    record ScopeView(List<String> eventTypes, List<String> services) {
    }

    /** @param destination {@code null} when none was given */
    record ArchiveView(boolean enabled, @Nullable String destination) {
    }

    /** A policy as the API shows it; {@code platformWide} marks the platform operator's policies. */
    record PolicyView(UUID policyId, String name, String retentionPeriod, ScopeView scope,
                      ArchiveView archiveConfig, boolean platformWide, Instant createdAt) {

        static PolicyView of(RetentionPolicy policy) {
            PolicyDefinition d = policy.definition();
            return new PolicyView(policy.policyId(), d.name(), d.retentionPeriod().text(),
                    new ScopeView(d.scope().eventTypes(), d.scope().services()),
                    new ArchiveView(d.archiveConfig().enabled(), d.archiveConfig().destination()),
                    policy.owner().platform(), policy.createdAt());
        }
    }

    record PolicyList(List<PolicyView> policies, int total) {
    }

    private final RetentionPolicyManagement management;

    RetentionPolicyController(RetentionPolicyManagement management) {
        this.management = management;
    }

    @Operation(summary = "Create a retention policy", operationId = "createRetentionPolicy",
            description = "retentionPeriod is an ISO-8601 duration (P90D, P6M, P1Y, PT720H); empty scope lists "
                    + "cover every event type or service; archiveConfig.destination is a relative name under the "
                    + "tenant's archive directory. Needs audit:retention and the admin role.")
    @ApiResponse(responseCode = "201", description = "The policy was created",
            headers = @Header(name = "Location", description = "The new policy's URL",
                    schema = @Schema(type = "string", format = "uri")))
    @FailureResponse(status = 409, description = "The owner has a policy of this name, or as many policies as it may")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = RetentionScopes.RETENTION, admin = true, audit = "audit.retention.policy.created",
            resourceType = "retention_policy", resourceId = "#result.policyId")
    ResponseEntity<PolicyView> create(Caller caller, @RequestBody PolicyRequest request) {
        RetentionPolicy policy = management.create(RequestOwners.of(caller), request.definition());
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(policy.policyId()).toUri()).body(PolicyView.of(policy));
    }

    @Operation(summary = "List the retention policies, oldest first", operationId = "listRetentionPolicies",
            description = "Needs audit:retention.")
    @GetMapping
    @RequiredControls(scopes = RetentionScopes.RETENTION)
    PolicyList list(Caller caller) {
        List<PolicyView> views = management.list(RequestOwners.of(caller)).stream().map(PolicyView::of).toList();
        return new PolicyList(views, views.size());
    }

    @Operation(summary = "Get one retention policy", operationId = "getRetentionPolicy",
            description = "Needs audit:retention.")
    @GetMapping("/{policyId}")
    @RequiredControls(scopes = RetentionScopes.RETENTION)
    PolicyView get(Caller caller, @PathVariable String policyId) {
        return PolicyView.of(management.find(RequestOwners.of(caller), policyId));
    }

    @Operation(summary = "Delete a retention policy", operationId = "deleteRetentionPolicy",
            description = "Past cleanups stay recorded. Needs audit:retention and the admin role.")
    @DeleteMapping("/{policyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiredControls(scopes = RetentionScopes.RETENTION, admin = true, audit = "audit.retention.policy.deleted",
            resourceType = "retention_policy", resourceId = "#policyId")
    void delete(Caller caller, @PathVariable String policyId) {
        management.delete(RequestOwners.of(caller), policyId);
    }
}
