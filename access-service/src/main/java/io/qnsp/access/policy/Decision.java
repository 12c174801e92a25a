package io.qnsp.access.policy;

import java.util.List;

/**
 * The engine's answer: the decision, a reason for each rule that matched (denies first, then by name and id) and
 * the ids of the rules that determined it (the matching denies of a deny, the matching allows of an allow; none for
 * the default deny).
 */
public record Decision(Effect decision, List<Reason> reasons, List<String> effectivePolicies) {

    /** One rule that matched, with the conditions of it that held. */
    public record Reason(String policyId, String policyName, Effect effect, List<String> matchedConditions) {
    }

    public boolean allowed() {
        return decision == Effect.ALLOW;
    }
}
