package io.qnsp.access.jit;

import io.qnsp.access.policy.Effect;
import io.qnsp.access.policy.Glob;
import io.qnsp.access.policy.GrantRules;
import io.qnsp.access.policy.PrincipalPattern;
import io.qnsp.access.policy.ResourcePattern;
import io.qnsp.access.policy.Rule;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.List;

/**
 * The JIT grants as rules of the decision engine: each allows its principal (whatever its type) its permissions on
 * its one resource, until its expiry, which the engine compares with the time of each decision.
 */
@Component
class JitGrantRules implements GrantRules {

    private final JitGrants grants;

    JitGrantRules(JitGrants grants) {
        this.grants = grants;
    }

    @Override
    public List<Rule> activeRules(String tenantId, Instant at) {
        return grants.active(tenantId, null, at).stream().map(grant -> new Rule(grant.grantId().toString(),
                "JIT grant on " + grant.resourceType() + ":" + grant.resourceId(), Effect.ALLOW,
                List.of(PrincipalPattern.anyTypeWithId(grant.principalId())),
                List.of(new ResourcePattern(grant.resourceType() + ":" + grant.resourceId(),
                        Glob.exact(grant.resourceType()), Glob.exact(grant.resourceId()))),
                grant.permissions().stream().map(Glob::of).toList(), List.of(), grant.expiresAt())).toList();
    }
}
