package io.qnsp.access.decision.web;

import io.qnsp.access.AccessScopes;
import io.qnsp.access.decision.AccessDecisions;
import io.qnsp.access.decision.AccessQuery;
import io.qnsp.access.policy.Decision;
import io.qnsp.access.policy.Effect;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;

/** The run-time decision point services call (additive to the reference). */
@Tag(name = "Decisions")
@RestController
class CheckController {

    record CheckResponse(Effect decision,
                         @Schema(description = "each policy (or JIT grant) that matched, denies first, with the "
                                 + "conditions that held; empty for the default deny") List<Decision.Reason> reasons,
                         @Schema(description = "the ids of the policies that determined the decision")
                         List<String> effectivePolicies,
                         Instant decidedAt,
                         @Schema(description = "the version of the tenant's policies the decision was made on")
                         long policyVersion) {
    }

    private final AccessDecisions decisions;

    CheckController(AccessDecisions decisions) {
        this.decisions = decisions;
    }

    @Operation(summary = "Decide an access request", operationId = "checkAccess",
            description = "Evaluates the tenant's policies and active JIT grants: an explicit deny wins, otherwise an "
                    + "allow allows, otherwise the answer is deny. The decision is recorded in the decision log that "
                    + "impact analysis and the anomaly report read. Needs access:check.")
    @PostMapping("/access/v1/check")
    @RequiredControls(scopes = AccessScopes.CHECK)
    CheckResponse check(Caller caller, @RequestBody AccessQuery query) {
        String tenant = TenantRequired.tenantOf(caller);
        AccessDecisions.Made made = decisions.check(tenant, query.toRequest());
        Decision decision = made.decision();
        return new CheckResponse(decision.decision(), decision.reasons(), decision.effectivePolicies(),
                made.decidedAt(), made.policyVersion());
    }
}
