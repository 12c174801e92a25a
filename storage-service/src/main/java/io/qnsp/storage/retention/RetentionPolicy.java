package io.qnsp.storage.retention;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Keeps the objects in its scope (buckets, and classifications their labels give) for a period after they were
 * written: until then they are neither overwritten nor deleted; once it has passed, {@code onExpiry} happens to them
 * once: {@code delete}, {@code archive} (read-only from then on) or {@code notify} (an audit event).
 */
public record RetentionPolicy(UUID policyId, String tenantId, String name, String retentionPeriod,
                              List<String> buckets, List<String> classifications, String onExpiry, String createdBy,
                              Instant createdAt) {

    static final List<String> ACTIONS = List.of("delete", "archive", "notify");
}
