package io.qnsp.access.policy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The decision rules: an explicit deny wins, otherwise an allow allows, otherwise the answer is deny. Every rule is
 * looked at and the answer is sorted, so it never depends on the order the rules come in.
 */
public final class Evaluation {

    private static final Comparator<Decision.Reason> REASON_ORDER = Comparator
            .comparing((Decision.Reason reason) -> reason.effect() == Effect.DENY ? 0 : 1)
            .thenComparing(Decision.Reason::policyName).thenComparing(Decision.Reason::policyId);

    private Evaluation() {
    }

    public static Decision evaluate(Iterable<Rule> rules, AccessRequest request, Instant evaluatedAt) {
        List<Decision.Reason> reasons = new ArrayList<>();
        boolean denied = false;
        boolean allowed = false;
        for (Rule rule : rules) {
            List<String> held = rule.match(request, evaluatedAt);
            if (held != null) {
                reasons.add(new Decision.Reason(rule.id(), rule.name(), rule.effect(), List.copyOf(held)));
                denied |= rule.effect() == Effect.DENY;
                allowed |= rule.effect() == Effect.ALLOW;
            }
        }
        if (reasons.isEmpty()) {
            return new Decision(Effect.DENY, List.of(), List.of());
        }
        reasons.sort(REASON_ORDER);
        Effect decision = denied ? Effect.DENY : allowed ? Effect.ALLOW : Effect.DENY;
        List<String> effective = reasons.stream().filter(reason -> reason.effect() == decision)
                .map(Decision.Reason::policyId).sorted().distinct().toList();
        return new Decision(decision, List.copyOf(reasons), effective);
    }
}
