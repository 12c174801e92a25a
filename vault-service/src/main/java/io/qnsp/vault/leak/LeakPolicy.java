package io.qnsp.vault.leak;

import io.qnsp.vault.leak.detect.DefaultRules;
import io.qnsp.vault.leak.detect.Rule;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's leak detection policy: its rules (its own patterns, and the built-in ones unless left out), the targets
 * it applies to, and what happens on a detection.
 *
 * @param generator the generator of the new value a rotation writes ({@code rotate} only)
 */
public record LeakPolicy(UUID policyId, String tenantId, String name, @Nullable String description, boolean enabled,
                         boolean includeDefaultRules, List<SecretPattern> secretPatterns,
                         List<ScanTarget> scanTargets, DetectionAction onDetection, @Nullable String generator,
                         List<String> notificationChannels, Instant createdAt, Instant updatedAt) {

    /** The rules the policy runs: its own patterns, then the built-in ones when it includes them. */
    public List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < secretPatterns.size(); i++) {
            SecretPattern pattern = secretPatterns.get(i);
            rules.add(new Rule("secretPatterns[" + i + "]", pattern.type(), pattern.pattern(), pattern.severity(),
                    policyId, false));
        }
        if (includeDefaultRules) {
            rules.addAll(DefaultRules.rules(policyId));
        }
        return rules;
    }

    boolean appliesTo(ScanTarget target) {
        return scanTargets.contains(target);
    }
}
