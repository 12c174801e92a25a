package io.qnsp.storage.classification;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A tenant's classification policy: rules scanned over object content; with autoApply, every new upload is scanned. */
public record ClassificationPolicy(UUID policyId, String tenantId, String name, @Nullable String description,
                                   List<Rule> rules, boolean autoApply, String createdBy, Instant createdAt) {
}
