package io.qnsp.access.policy;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A valid policy as a tenant writes it: every field checked, all problems reported at once.
 *
 * @param conditions the conditions object as given (kept so the policy reads back as written)
 */
public record PolicyDefinition(String name, @Nullable String description, Effect effect, List<String> principals,
                               List<String> resources, List<String> actions, Map<String, Object> conditions) {

    static final int MAX_NAME = 128;
    static final int MAX_DESCRIPTION = 1024;
    static final int MAX_ENTRIES = 100;
    static final int MAX_PATTERN = 512;
    static final int MAX_CONDITIONS = 50;

    public PolicyDefinition {
        principals = List.copyOf(principals);
        resources = List.copyOf(resources);
        actions = List.copyOf(actions);
        conditions = conditions == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(conditions));
    }

    /**
     * The policy the fields spell; problems are named {@code prefix + field} (e.g. {@code policyChange.newPolicy.}).
     */
    public static @Nullable PolicyDefinition of(@Nullable String name, @Nullable String description,
                                                @Nullable String effect, @Nullable List<String> principals,
                                                @Nullable List<String> resources, @Nullable List<String> actions,
                                                @Nullable Map<String, Object> conditions, String prefix,
                                                InvalidField.Problems problems) {
        if (name == null || name.isBlank()) {
            problems.add(prefix + "name", "is required");
        } else if (name.strip().length() > MAX_NAME) {
            problems.add(prefix + "name", "must be at most " + MAX_NAME + " characters");
        }
        if (description != null && description.length() > MAX_DESCRIPTION) {
            problems.add(prefix + "description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        Effect parsedEffect = Effect.fromApiName(effect);
        if (effect == null) {
            problems.add(prefix + "effect", "is required: allow or deny");
        } else if (parsedEffect == null) {
            problems.add(prefix + "effect", "must be allow or deny");
        }
        List<String> cleanPrincipals = patterns(principals, prefix + "principals", problems, text -> {
            String[] problem = new String[1];
            return PrincipalPattern.parse(text, problem) == null ? problem[0] : null;
        });
        List<String> cleanResources = patterns(resources, prefix + "resources", problems, text -> {
            String[] problem = new String[1];
            return ResourcePattern.parse(text, problem) == null ? problem[0] : null;
        });
        List<String> cleanActions = patterns(actions, prefix + "actions", problems, text -> null);
        if (conditions != null && conditions.size() > MAX_CONDITIONS) {
            problems.add(prefix + "conditions", "must name at most " + MAX_CONDITIONS + " attributes");
        } else {
            Condition.parseAll(conditions, prefix + "conditions", problems);
        }
        if (!problems.isEmpty()) {
            return null;
        }
        return new PolicyDefinition(name.strip(), description, parsedEffect, cleanPrincipals, cleanResources,
                cleanActions, conditions == null ? Map.of() : conditions);
    }

    private static List<String> patterns(@Nullable List<String> values, String field, InvalidField.Problems problems,
                                         java.util.function.Function<String, @Nullable String> check) {
        if (values == null || values.isEmpty()) {
            problems.add(field, "must name at least one entry");
            return List.of();
        }
        if (values.size() > MAX_ENTRIES) {
            problems.add(field, "must name at most " + MAX_ENTRIES + " entries");
            return List.of();
        }
        List<String> clean = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            String at = field + "[" + i + "]";
            if (value == null || value.isBlank()) {
                problems.add(at, "must not be blank");
                continue;
            }
            String text = value.strip();
            if (text.length() > MAX_PATTERN) {
                problems.add(at, "must be at most " + MAX_PATTERN + " characters");
                continue;
            }
            String problem = check.apply(text);
            if (problem != null) {
                problems.add(at, problem);
                continue;
            }
            if (!clean.contains(text)) {
                clean.add(text);
            }
        }
        return clean;
    }

    /** The rule the engine evaluates for this definition under the id given. */
    public Rule rule(String id) {
        String[] ignored = new String[1];
        return new Rule(id, name, effect,
                principals.stream().map(text -> PrincipalPattern.parse(text, ignored)).toList(),
                resources.stream().map(text -> ResourcePattern.parse(text, ignored)).toList(),
                actions.stream().map(Glob::of).toList(),
                Condition.parseAll(conditions, "conditions", new InvalidField.Problems()), null);
    }

    /** Whether it allows {@code *} principals, resources or actions: the impact analysis warns of it. */
    public List<String> wildcardGrants() {
        List<String> wildcards = new ArrayList<>();
        if (effect != Effect.ALLOW) {
            return wildcards;
        }
        if (principals.contains("*")) {
            wildcards.add("principals");
        }
        if (resources.contains("*")) {
            wildcards.add("resources");
        }
        if (actions.contains("*")) {
            wildcards.add("actions");
        }
        return wildcards;
    }
}
