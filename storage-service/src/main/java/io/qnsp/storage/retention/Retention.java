package io.qnsp.storage.retention;

import java.time.Instant;
import java.util.UUID;

/** An object's retention: the policy keeping it longest, what happens at the end, and when that is. */
public record Retention(UUID policyId, String onExpiry, Instant until) {
}
