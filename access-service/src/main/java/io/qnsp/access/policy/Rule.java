package io.qnsp.access.policy;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy (or an active JIT grant) in the form the engine evaluates: it matches a request when a principal
 * pattern, a resource pattern and an action pattern match and every condition holds.
 *
 * @param expiresAt when the rule stops taking part (a JIT grant's expiry, exclusive); {@code null} for never
 */
public record Rule(String id, String name, Effect effect, List<PrincipalPattern> principals,
                   List<ResourcePattern> resources, List<Glob> actions, List<Condition> conditions,
                   @Nullable Instant expiresAt) {

    public Rule {
        principals = List.copyOf(principals);
        resources = List.copyOf(resources);
        actions = List.copyOf(actions);
        conditions = List.copyOf(conditions);
    }

    /**
     * The conditions that held when the rule matches the request at the time given, or {@code null} when it does
     * not match.
     */
    public @Nullable List<String> match(AccessRequest request, Instant evaluatedAt) {
        if (expiresAt != null && !evaluatedAt.isBefore(expiresAt)) {
            return null;
        }
        if (!anyPrincipal(request) || !anyResource(request) || !anyAction(request)) {
            return null;
        }
        List<String> held = new ArrayList<>(conditions.size() + 1);
        for (Condition condition : conditions) {
            if (!condition.holds(request, evaluatedAt)) {
                return null;
            }
            held.add(condition.description());
        }
        if (expiresAt != null) {
            held.add("grant active until " + expiresAt);
        }
        return held;
    }

    private boolean anyPrincipal(AccessRequest request) {
        for (PrincipalPattern pattern : principals) {
            if (pattern.matches(request.principal())) {
                return true;
            }
        }
        return false;
    }

    private boolean anyResource(AccessRequest request) {
        for (ResourcePattern pattern : resources) {
            if (pattern.matches(request.resource())) {
                return true;
            }
        }
        return false;
    }

    private boolean anyAction(AccessRequest request) {
        for (Glob pattern : actions) {
            if (pattern.matches(request.action())) {
                return true;
            }
        }
        return false;
    }
}
