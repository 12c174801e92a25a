package io.qnsp.vault.leak;

import io.qnsp.common.error.InvalidField;
import io.qnsp.common.web.PathIds;
import io.qnsp.vault.generate.SecretGenerators;
import io.qnsp.vault.leak.detect.PatternRules;
import io.qnsp.vault.leak.detect.PatternType;
import io.qnsp.vault.leak.detect.Severity;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** A tenant's leak detection policies. */
@Service
public class LeakPolicyManagement {

    static final int MAX_NAME = 128;
    static final int MAX_DESCRIPTION = 1024;
    static final int MAX_PATTERNS = 50;
    static final int MAX_CHANNELS = 10;
    static final int MAX_CHANNEL = 512;
    static final List<String> UNSUPPORTED_TARGETS = List.of("pastebin", "s3");

    private final LeakPolicies policies;
    private final Clock clock = Clock.systemUTC();

    LeakPolicyManagement(LeakPolicies policies) {
        this.policies = policies;
    }

    /** A pattern as a request gives it, each field possibly missing. */
    public record PatternInput(@Nullable String type, @Nullable String pattern, @Nullable String severity) {
    }

    /** A policy as a request gives it, each field possibly missing. */
    public record PolicyInput(@Nullable String name, @Nullable String description,
                              @Nullable List<PatternInput> secretPatterns, @Nullable List<String> scanTargets,
                              @Nullable String onDetection, @Nullable String generator,
                              @Nullable List<String> notificationChannels, @Nullable Boolean enabled,
                              @Nullable Boolean includeDefaultRules) {
    }

    /**
     * @throws InvalidField        naming each offending field
     * @throws LeakPolicyNameTaken when the tenant has a policy of that name
     */
    @Transactional
    public LeakPolicy create(String tenantId, PolicyInput input, boolean actionsGiven) {
        InvalidField.Problems problems = new InvalidField.Problems();
        String name = name(input.name(), problems);
        String description = input.description() == null ? null : input.description().strip();
        if (description != null && description.length() > MAX_DESCRIPTION) {
            problems.add("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        boolean includeDefaults = input.includeDefaultRules() == null || input.includeDefaultRules();
        List<SecretPattern> patterns = patterns(input.secretPatterns(), includeDefaults, problems);
        List<ScanTarget> targets = targets(input.scanTargets(), "scanTargets", problems);
        DetectionAction action = DetectionAction.ALERT;
        if (input.onDetection() != null) {
            action = DetectionAction.fromApiName(input.onDetection());
            if (action == null) {
                problems.add("actions.onDetection", "must be one of " + DetectionAction.apiNames());
            }
        } else if (actionsGiven) {
            problems.add("actions.onDetection", "is required when actions are given");
        }
        String generator = null;
        if (action == DetectionAction.ROTATE) {
            generator = input.generator() == null ? SecretGenerators.PASSWORD : input.generator();
            if (!SecretGenerators.exists(generator)) {
                problems.add("actions.generator", "must be one of " + SecretGenerators.names());
            }
        } else if (input.generator() != null) {
            problems.add("actions.generator", "is only used when onDetection is rotate");
        }
        List<String> channels = channels(input.notificationChannels(), problems);
        problems.throwIfAny();
        Instant now = clock.instant();
        LeakPolicy policy = new LeakPolicy(UUID.randomUUID(), tenantId, name, description,
                input.enabled() == null || input.enabled(), includeDefaults, patterns, targets, action, generator,
                channels, now, now);
        policies.insert(policy);
        return policy;
    }

    @Transactional(readOnly = true)
    public List<LeakPolicy> list(String tenantId) {
        return policies.list(tenantId);
    }

    /** @throws LeakPolicyNotFound unless the tenant has the policy */
    @Transactional(readOnly = true)
    public LeakPolicy get(String tenantId, String policyId) {
        return policies.find(tenantId, PathIds.parse(policyId, LeakPolicyNotFound::new))
                .orElseThrow(LeakPolicyNotFound::new);
    }

    /**
     * Deletes the policy; queued scans that name it fail when they start, incidents keep its id in their details.
     *
     * @throws LeakPolicyNotFound unless the tenant has the policy
     */
    @Transactional
    public void delete(String tenantId, String policyId) {
        if (!policies.delete(tenantId, PathIds.parse(policyId, LeakPolicyNotFound::new))) {
            throw new LeakPolicyNotFound();
        }
    }

    /**
     * The targets named, each once, in order; {@code pastebin} and {@code s3} are refused naming the supported ones;
     * every supported target when none is named.
     */
    static List<ScanTarget> targets(@Nullable List<String> names, String field, InvalidField.Problems problems) {
        if (names == null || names.isEmpty()) {
            return List.of(ScanTarget.values());
        }
        Set<ScanTarget> targets = new LinkedHashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            ScanTarget target = name == null ? null : ScanTarget.fromApiName(name);
            if (target == null) {
                problems.add(field + "[" + i + "]", (UNSUPPORTED_TARGETS.contains(name) ? "is not supported" :
                        "is not a target") + "; supported targets: " + String.join(", ", ScanTarget.apiNames()));
                problems.detail("supportedTargets", ScanTarget.apiNames());
            } else {
                targets.add(target);
            }
        }
        return new ArrayList<>(targets);
    }

    private static @Nullable String name(@Nullable String name, InvalidField.Problems problems) {
        if (name == null || name.isBlank()) {
            problems.add("name", "is required");
            return null;
        }
        String stripped = name.strip();
        if (stripped.length() > MAX_NAME || stripped.chars().anyMatch(Character::isISOControl)) {
            problems.add("name", "must be at most " + MAX_NAME + " characters without control characters");
        }
        return stripped;
    }

    private static List<SecretPattern> patterns(@Nullable List<PatternInput> inputs, boolean includeDefaults,
                                                InvalidField.Problems problems) {
        if (inputs == null || inputs.isEmpty()) {
            if (!includeDefaults) {
                problems.add("secretPatterns", "must list at least one pattern when includeDefaultRules is false");
            }
            return List.of();
        }
        if (inputs.size() > MAX_PATTERNS) {
            problems.add("secretPatterns", "must list at most " + MAX_PATTERNS + " patterns");
            return List.of();
        }
        List<SecretPattern> patterns = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String field = "secretPatterns[" + i + "]";
            PatternInput input = inputs.get(i);
            if (input == null) {
                problems.add(field, "must be an object");
                continue;
            }
            PatternType type = input.type() == null ? null : PatternType.fromApiName(input.type());
            if (type == null) {
                problems.add(field + ".type", "must be one of " + PatternType.apiNames());
            }
            Severity severity = input.severity() == null ? null : Severity.fromApiName(input.severity());
            if (severity == null) {
                problems.add(field + ".severity", "must be one of " + Severity.apiNames());
            }
            if (input.pattern() == null || input.pattern().isEmpty()) {
                problems.add(field + ".pattern", "is required");
            } else if (type != null) {
                String problem = PatternRules.problem(type, input.pattern());
                if (problem != null) {
                    problems.add(field + ".pattern", problem);
                }
            }
            if (type != null && severity != null && input.pattern() != null) {
                patterns.add(new SecretPattern(type, type == PatternType.ENTROPY ? input.pattern().strip()
                        : input.pattern(), severity));
            }
        }
        return patterns;
    }

    private static List<String> channels(@Nullable List<String> channels, InvalidField.Problems problems) {
        if (channels == null) {
            return List.of();
        }
        if (channels.size() > MAX_CHANNELS) {
            problems.add("actions.notificationChannels", "must list at most " + MAX_CHANNELS + " channels");
            return List.of();
        }
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            String channel = channels.get(i) == null ? null : channels.get(i).strip();
            if (channel == null || channel.isEmpty() || channel.length() > MAX_CHANNEL
                    || channel.chars().anyMatch(Character::isISOControl)) {
                problems.add("actions.notificationChannels[" + i + "]", "must be 1 to " + MAX_CHANNEL
                        + " characters without control characters");
            } else {
                checked.add(channel);
            }
        }
        return checked;
    }
}
