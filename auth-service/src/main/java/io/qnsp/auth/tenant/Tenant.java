package io.qnsp.auth.tenant;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A customer of the platform: its plan, the add-ons it bought and its quota overrides. */
public record Tenant(String id, String name, String plan, List<String> addOns, Map<String, Long> quotas,
                     Instant createdAt, Instant updatedAt) {
}
