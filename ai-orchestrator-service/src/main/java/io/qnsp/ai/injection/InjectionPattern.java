package io.qnsp.ai.injection;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A tenant's own prompt-injection pattern: a regular expression, what it detects and how severe a match is. */
public record InjectionPattern(UUID patternId, String tenantId, String name, String pattern, String category,
                               String severity, boolean enabled, Instant createdAt) {

    public static final List<String> CATEGORIES = List.of("jailbreak", "data_extraction", "instruction_override");
    public static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");
}
