package io.qnsp.vault.leak.web;

import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.vault.VaultScopes;
import io.qnsp.vault.leak.DetectionAction;
import io.qnsp.vault.leak.LeakPolicy;
import io.qnsp.vault.leak.LeakPolicyManagement;
import io.qnsp.vault.leak.ScanTarget;
import io.qnsp.vault.leak.SecretPattern;
import io.qnsp.vault.leak.detect.PatternType;
import io.qnsp.vault.leak.detect.Severity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
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
 * Leak detection policies: the rules a scan runs (the policy's own patterns, and the built-in rules unless left out),
 * the targets they apply to, and what happens when a detected value is one of the tenant's stored secrets. Reading
 * needs {@code vault:read}, changes {@code vault:write}.
 */
@Tag(name = "Leakage detection")
@RestController
@RequestMapping("/v1/leakage-detection/policies")
class LeakPolicyController {

    record LeakPatternRequest(@Schema(description = "regex, keyword or entropy", allowableValues = {"regex", "keyword",
            "entropy"}) @Nullable String type,
                          @Schema(description = "regex: a Java regular expression of at most 512 characters without "
                                  + "nested quantifiers or back-references (its first group, if any, is the value); "
                                  + "keyword: 3 to 64 characters, matched in a name a value is assigned to; entropy: "
                                  + "the minimum Shannon entropy in bits per character (1.0 to 6.0) of a token of "
                                  + "20 characters or more, e.g. 4.5") @Nullable String pattern,
                          @Schema(description = "low, medium, high or critical", allowableValues = {"low", "medium",
                                  "high", "critical"}) @Nullable String severity) {
    }

    record LeakActionsRequest(@Schema(description = "alert (the default), rotate or revoke", allowableValues = {"alert",
            "rotate", "revoke"}) @Nullable String onDetection,
                          @Schema(description = "where incidents are announced: kept with the policy and published "
                                  + "with each incident's event") @Nullable List<String> notificationChannels,
                          @Schema(description = "rotate only: the generator of the new value, password (the default), "
                                  + "alphanumeric-40, hex-64 or base64url-32") @Nullable String generator) {
    }

    record CreateLeakPolicyRequest(@Schema(description = "1 to 128 characters, unique in the tenant") @Nullable String name,
                               @Schema(description = "up to 1024 characters") @Nullable String description,
                               @Schema(description = "the policy's own rules, up to 50") @Nullable
                               List<LeakPatternRequest> secretPatterns,
                               @Schema(description = "git, github, gitlab; all of them when left out (pastebin and s3 "
                                       + "are not supported)") @Nullable List<String> scanTargets,
                               @Nullable LeakActionsRequest actions,
                               @Schema(description = "true by default: a scan that names no policy runs every enabled "
                                       + "one") @Nullable Boolean enabled,
                               @Schema(description = "true by default: the built-in rules (AWS access key ids, private "
                                       + "key blocks, GitHub tokens, high-entropy tokens) run with the policy's own")
                               @Nullable Boolean includeDefaultRules) {
    }

    record LeakPolicyCreated(UUID policyId, String name, Instant createdAt) {
    }

    record LeakPolicySummary(UUID policyId, String name, boolean enabled,
                         @Schema(description = "the number of the policy's own patterns") int secretPatterns,
                         boolean includeDefaultRules) {
    }

    record LeakPolicyList(List<LeakPolicySummary> policies) {
    }

    record LeakPatternView(PatternType type, String pattern, Severity severity) {

        static LeakPatternView of(SecretPattern pattern) {
            return new LeakPatternView(pattern.type(), pattern.pattern(), pattern.severity());
        }
    }

    record LeakActionsView(DetectionAction onDetection, List<String> notificationChannels,
                       @Schema(description = "rotate only") @Nullable String generator) {
    }

    record LeakPolicyView(UUID policyId, String name, @Nullable String description, List<LeakPatternView> secretPatterns,
                      List<ScanTarget> scanTargets, LeakActionsView actions, boolean enabled, boolean includeDefaultRules,
                      Instant createdAt) {

        static LeakPolicyView of(LeakPolicy policy) {
            return new LeakPolicyView(policy.policyId(), policy.name(), policy.description(),
                    policy.secretPatterns().stream().map(LeakPatternView::of).toList(), policy.scanTargets(),
                    new LeakActionsView(policy.onDetection(), policy.notificationChannels(), policy.generator()),
                    policy.enabled(), policy.includeDefaultRules(), policy.createdAt());
        }
    }

    private final LeakPolicyManagement policies;

    LeakPolicyController(LeakPolicyManagement policies) {
        this.policies = policies;
    }

    @Operation(summary = "Create a leakage detection policy", operationId = "createLeakagePolicy",
            description = "Validates every pattern (a regular expression must compile and must not nest "
                    + "quantifiers). Needs vault:write.")
    @ApiResponse(responseCode = "201", description = "The policy was created")
    @FailureResponse(status = 409, description = "The tenant already has a policy of this name")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = VaultScopes.WRITE, audit = "vault.leak_policy.created", resourceType = "leak_policy",
            resourceId = "#result.policyId")
    LeakPolicyCreated create(Caller caller, @RequestBody CreateLeakPolicyRequest request) {
        LeakActionsRequest actions = request.actions();
        LeakPolicy policy = policies.create(TenantRequired.tenantOf(caller), new LeakPolicyManagement.PolicyInput(
                request.name(), request.description(), request.secretPatterns() == null ? null
                : request.secretPatterns().stream().map(p -> p == null ? null : new LeakPolicyManagement.PatternInput(
                        p.type(), p.pattern(), p.severity())).toList(), request.scanTargets(),
                actions == null ? null : actions.onDetection(), actions == null ? null : actions.generator(),
                actions == null ? null : actions.notificationChannels(), request.enabled(),
                request.includeDefaultRules()), actions != null);
        return new LeakPolicyCreated(policy.policyId(), policy.name(), policy.createdAt());
    }

    @Operation(summary = "List leakage detection policies, oldest first", operationId = "listLeakagePolicies",
            description = "Needs vault:read.")
    @GetMapping
    @RequiredControls(scopes = VaultScopes.READ)
    LeakPolicyList list(Caller caller) {
        return new LeakPolicyList(policies.list(TenantRequired.tenantOf(caller)).stream()
                .map(p -> new LeakPolicySummary(p.policyId(), p.name(), p.enabled(), p.secretPatterns().size(),
                        p.includeDefaultRules())).toList());
    }

    @Operation(summary = "Get a leakage detection policy", operationId = "getLeakagePolicy",
            description = "Needs vault:read.")
    @GetMapping("/{policyId}")
    @RequiredControls(scopes = VaultScopes.READ)
    LeakPolicyView get(Caller caller, @PathVariable String policyId) {
        return LeakPolicyView.of(policies.get(TenantRequired.tenantOf(caller), policyId));
    }

    @Operation(summary = "Delete a leakage detection policy", operationId = "deleteLeakagePolicy",
            description = "Queued scans that name it fail when they start; incidents keep its id in their details. "
                    + "Needs vault:write.")
    @DeleteMapping("/{policyId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @RequiredControls(scopes = VaultScopes.WRITE, audit = "vault.leak_policy.deleted", resourceType = "leak_policy",
            resourceId = "#policyId")
    void delete(Caller caller, @PathVariable String policyId) {
        policies.delete(TenantRequired.tenantOf(caller), policyId);
    }
}
