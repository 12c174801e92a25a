package io.qnsp.access.policy.web;

import io.qnsp.access.AccessScopes;
import io.qnsp.access.policy.Effect;
import io.qnsp.access.policy.Policy;
import io.qnsp.access.policy.PolicyDefinition;
import io.qnsp.access.policy.PolicyManagement;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A tenant's access policies (additive to the reference): create, list, read, replace and delete. Reading needs
 * {@code access:read}, every change {@code access:write}.
 */
@Tag(name = "Policies")
@RestController
@RequestMapping("/access/v1/policies")
class PolicyController {

    static final int MAX_PAGE = 100;

    record PolicyRequest(
            @Schema(description = "unique within the tenant, at most 128 characters") @Nullable String name,
            @Nullable String description,
            @Schema(allowableValues = {"allow", "deny"}) @Nullable String effect,
            @Schema(description = "who: *, user:<id>, service:<id>, group:<name>; ids may use * (user:*)")
            @Nullable List<String> principals,
            @Schema(description = "what: *, or type:id-pattern, e.g. document:*, document:reports/*")
            @Nullable List<String> resources,
            @Schema(description = "actions; * stands for any run of characters (read, s3:Get*, *)")
            @Nullable List<String> actions,
            @Nullable Map<String, Object> conditions) {

        PolicyDefinition definition() {
            InvalidField.Problems problems = new InvalidField.Problems();
            PolicyDefinition definition = PolicyDefinition.of(name, description, effect, principals, resources,
                    actions, conditions, "", problems);
            problems.throwIfAny();
            return definition;
        }
    }

    record PolicyView(UUID policyId, String name, @Nullable String description, Effect effect,
                      List<String> principals, List<String> resources, List<String> actions,
                      Map<String, Object> conditions,
                      @Schema(description = "1 when created, one more with each replacement") int revision,
                      Instant createdAt, Instant updatedAt, String createdBy, String updatedBy) {

        static PolicyView of(Policy policy) {
            PolicyDefinition definition = policy.definition();
            return new PolicyView(policy.policyId(), definition.name(), definition.description(), definition.effect(),
                    definition.principals(), definition.resources(), definition.actions(), definition.conditions(),
                    policy.revision(), policy.createdAt(), policy.updatedAt(), policy.createdBy(),
                    policy.updatedBy());
        }
    }

    record PolicyList(List<PolicyView> policies, long total, int limit, int offset) {
    }

    private final PolicyManagement policies;

    PolicyController(PolicyManagement policies) {
        this.policies = policies;
    }

    @Operation(summary = "Create an access policy", operationId = "createAccessPolicy",
            description = "The policy takes part in every decision of the tenant from the moment this answers, on "
                    + "every instance. conditions maps an attribute to operators, all of which must hold: attributes "
                    + "are resource.<name>, environment.<name>, time, action, principal.id, principal.type, "
                    + "principal.groups, resource.id, resource.type; operators are equals, in, gt, gte, lt, lte, "
                    + "after, before, timeOfDay ({start, end} as HH:mm UTC) and cidr; a scalar stands for equals, an "
                    + "array for in. Needs access:write.")
    @ApiResponse(responseCode = "201", description = "The policy was created",
            headers = @Header(name = "Location", description = "The new policy's URL",
                    schema = @Schema(type = "string", format = "uri")))
    @FailureResponse(status = 409, description = "The tenant already has a policy of this name")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = AccessScopes.WRITE, audit = "access.policy.created", resourceType = "policy",
            resourceId = "#result.policyId")
    ResponseEntity<PolicyView> create(Caller caller, @RequestBody PolicyRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        PolicyView created = PolicyView.of(policies.create(tenant, caller.principal(), request.definition()));
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                .buildAndExpand(created.policyId()).toUri()).body(created);
    }

    @Operation(summary = "List the access policies, oldest first", operationId = "listAccessPolicies",
            description = "Needs access:read.")
    @GetMapping
    @RequiredControls(scopes = AccessScopes.READ)
    PolicyList list(Caller caller,
                    @Parameter(description = "1 to 100, 50 by default") @RequestParam(required = false)
                    @Nullable Integer limit,
                    @Parameter(description = "policies to skip, 0 by default") @RequestParam(required = false)
                    @Nullable Integer offset) {
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
        problems.throwIfAny();
        return new PolicyList(policies.list(tenant, pageSize, skip).stream().map(PolicyView::of).toList(),
                policies.count(tenant), pageSize, skip);
    }

    @Operation(summary = "Get an access policy", operationId = "getAccessPolicy", description = "Needs access:read.")
    @GetMapping("/{policyId}")
    @RequiredControls(scopes = AccessScopes.READ)
    PolicyView get(Caller caller, @PathVariable String policyId) {
        return PolicyView.of(policies.get(TenantRequired.tenantOf(caller), policyId));
    }

    @Operation(summary = "Replace an access policy", operationId = "replaceAccessPolicy",
            description = "Every field is replaced; the revision goes up by one. Needs access:write.")
    @FailureResponse(status = 409, description = "Another policy of the tenant has this name")
    @PutMapping("/{policyId}")
    @RequiredControls(scopes = AccessScopes.WRITE, audit = "access.policy.updated", resourceType = "policy",
            resourceId = "#policyId")
    PolicyView replace(Caller caller, @PathVariable String policyId, @RequestBody PolicyRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        return PolicyView.of(policies.replace(tenant, caller.principal(), policyId, request.definition()));
    }

    @Operation(summary = "Delete an access policy", operationId = "deleteAccessPolicy",
            description = "Needs access:write.")
    @ApiResponse(responseCode = "204", description = "The policy was deleted")
    @DeleteMapping("/{policyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiredControls(scopes = AccessScopes.WRITE, audit = "access.policy.deleted", resourceType = "policy",
            resourceId = "#policyId")
    void delete(Caller caller, @PathVariable String policyId) {
        policies.delete(TenantRequired.tenantOf(caller), caller.principal(), policyId);
    }
}
