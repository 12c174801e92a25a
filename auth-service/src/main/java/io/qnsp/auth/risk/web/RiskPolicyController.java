package io.qnsp.auth.risk.web;

import io.qnsp.auth.risk.AllowedHours;
import io.qnsp.auth.risk.ChallengeType;
import io.qnsp.auth.risk.HighRiskAction;
import io.qnsp.auth.risk.PolicyDefinition;
import io.qnsp.auth.risk.PolicyPage;
import io.qnsp.auth.risk.PolicyView;
import io.qnsp.auth.risk.RiskPolicyManagement;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.openapi.OpenApiAutoConfiguration;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
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
import java.util.UUID;

@Tag(name = "Risk-based authentication")
@SecurityRequirement(name = OpenApiAutoConfiguration.BEARER_JWT)
@RestController
@RequestMapping("/auth/risk/policies")
class RiskPolicyController {

    record HoursBody(@NotNull Integer start, @NotNull Integer end) {
    }

    /** {@code timezone} is UTC when left out. */
    record TimeRestrictionsBody(@NotNull @Valid HoursBody allowedHours, @Nullable @Size(max = 100) String timezone) {
    }

    /** At least one of the three is required. */
    record ConditionsBody(@Nullable Integer riskScoreThreshold,
                          @Nullable @Size(max = 250) List<@NotNull String> geoRestrictions,
                          @Nullable @Valid TimeRestrictionsBody timeRestrictions) {
    }

    /** {@code onHighRisk} is challenge, {@code challengeType} mfa when left out. */
    record ActionsBody(@Nullable HighRiskAction onHighRisk, @Nullable ChallengeType challengeType) {
    }

    /** {@code enabled} is true when left out. */
    record PolicyRequest(@NotBlank @Size(max = 200) String name, @Nullable @Size(max = 2000) String description,
                         @Valid ConditionsBody conditions, @Nullable @Valid ActionsBody actions,
                         @Nullable Boolean enabled) {

        PolicyDefinition definition() {
            ConditionsBody c = conditions == null ? new ConditionsBody(null, null, null) : conditions;
            AllowedHours hours = c.timeRestrictions() == null ? null : AllowedHours.of(
                    c.timeRestrictions().allowedHours().start(), c.timeRestrictions().allowedHours().end(),
                    c.timeRestrictions().timezone());
            return new PolicyDefinition(name, description, c.riskScoreThreshold(), c.geoRestrictions(), hours,
                    actions == null ? null : actions.onHighRisk(), actions == null ? null : actions.challengeType(),
                    enabled == null || enabled);
        }
    }

    record CreatedPolicy(UUID policyId, String name, Instant createdAt, boolean enabled) {
    }

    record PolicySummary(UUID policyId, String name, boolean enabled, Instant createdAt, Instant updatedAt) {

        static PolicySummary of(PolicyView view) {
            return new PolicySummary(view.policyId(), view.definition().name(), view.definition().enabled(),
                    view.createdAt(), view.updatedAt());
        }
    }

    record PolicyList(List<PolicySummary> policies, long total, int limit, int offset) {
    }

    record HoursView(int start, int end) {
    }

    record TimeRestrictionsView(HoursView allowedHours, String timezone) {
    }

    /** A condition the policy does not have is {@code null}. */
    record ConditionsView(@Nullable Integer riskScoreThreshold, @Nullable List<String> geoRestrictions,
                          @Nullable TimeRestrictionsView timeRestrictions) {
    }

    record ActionsView(HighRiskAction onHighRisk, ChallengeType challengeType) {
    }

    record PolicyDetails(UUID policyId, String name, @Nullable String description, ConditionsView conditions,
                         ActionsView actions, boolean enabled, Instant createdAt, Instant updatedAt) {

        static PolicyDetails of(PolicyView view) {
            PolicyDefinition d = view.definition();
            AllowedHours hours = d.allowedHours();
            TimeRestrictionsView time = hours == null ? null : new TimeRestrictionsView(
                    new HoursView(hours.start(), hours.end()), hours.zone().getId());
            return new PolicyDetails(view.policyId(), d.name(), d.description(),
                    new ConditionsView(d.riskScoreThreshold(), d.geoRestrictions(), time),
                    new ActionsView(d.onHighRisk(), d.challengeType()), d.enabled(), view.createdAt(),
                    view.updatedAt());
        }
    }

    private final RiskPolicyManagement management;

    RiskPolicyController(RiskPolicyManagement management) {
        this.management = management;
    }

    @Operation(summary = "Create a risk policy", description = "Applies to every later evaluation of the tenant"
            + " while enabled. Needs risk:write.", operationId = "createRiskPolicy")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @ApiResponse(responseCode = "201", description = "Created",
            headers = @Header(name = HttpHeaders.LOCATION, description = "The policy's URL",
                    schema = @Schema(type = "string", format = "uri")))
    @FailureResponse(status = 409, description = "The name is taken in the tenant (details.field name), or the"
            + " tenant holds the most policies it may")
    @RequiredControls(scopes = RiskScopes.WRITE, audit = "auth.risk.policy.created", resourceType = "risk_policy",
            resourceId = "#result.policyId")
    ResponseEntity<CreatedPolicy> create(Caller caller, @Valid @RequestBody PolicyRequest request) {
        PolicyView view = management.create(caller, request.definition());
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}")
                        .buildAndExpand(view.policyId()).toUri())
                .body(new CreatedPolicy(view.policyId(), view.definition().name(), view.createdAt(),
                        view.definition().enabled()));
    }

    @Operation(summary = "List the tenant's risk policies, oldest first",
            description = "limit 1–200 (default 50), offset from 0, optional enabled filter. Needs risk:read.",
            operationId = "listRiskPolicies")
    @GetMapping
    @RequiredControls(scopes = RiskScopes.READ, audit = "auth.risk.policies.listed", resourceType = "risk_policy")
    PolicyList list(Caller caller,
                    @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
                    @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int offset,
                    @RequestParam(required = false) Boolean enabled) {
        PolicyPage page = management.list(caller, limit, offset, enabled);
        return new PolicyList(page.policies().stream().map(PolicySummary::of).toList(), page.total(), limit,
                offset);
    }

    @Operation(summary = "A risk policy with its conditions and actions", description = "Needs risk:read.",
            operationId = "getRiskPolicy")
    @GetMapping("/{policyId}")
    @RequiredControls(scopes = RiskScopes.READ, audit = "auth.risk.policy.read", resourceType = "risk_policy",
            resourceId = "#policyId")
    PolicyDetails get(Caller caller, @PathVariable UUID policyId) {
        return PolicyDetails.of(management.find(caller, policyId));
    }

    @Operation(summary = "Replace a risk policy", description = "Same body as creation. Needs risk:write.",
            operationId = "replaceRiskPolicy")
    @PutMapping("/{policyId}")
    @FailureResponse(status = 409, description = "Another policy of the tenant has this name (details.field name)")
    @RequiredControls(scopes = RiskScopes.WRITE, audit = "auth.risk.policy.updated", resourceType = "risk_policy",
            resourceId = "#policyId")
    PolicyDetails replace(Caller caller, @PathVariable UUID policyId, @Valid @RequestBody PolicyRequest request) {
        return PolicyDetails.of(management.replace(caller, policyId, request.definition()));
    }

    @Operation(summary = "Delete a risk policy", description = "Needs risk:write.", operationId = "deleteRiskPolicy")
    @DeleteMapping("/{policyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiredControls(scopes = RiskScopes.WRITE, audit = "auth.risk.policy.deleted", resourceType = "risk_policy",
            resourceId = "#policyId")
    void delete(Caller caller, @PathVariable UUID policyId) {
        management.delete(caller, policyId);
    }
}
