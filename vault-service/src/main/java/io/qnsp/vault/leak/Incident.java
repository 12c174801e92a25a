package io.qnsp.vault.leak;

import io.qnsp.vault.leak.detect.Severity;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A leak incident: reported by hand, or opened by a scan for one distinct value at one location (target, repository
 * and file).
 *
 * @param secretId      the stored secret the leaked value belongs to, when it is one
 * @param secretVersion the version of that secret holding the value
 * @param details       what is known of the leak: for a scan's incident the masked value, the rule, the
 *                      repository, file, commit and line; for a reported one what the reporter gave
 */
public record Incident(UUID incidentId, String tenantId, @Nullable String secretId, @Nullable Integer secretVersion,
                       String source, String location, Severity severity, IncidentStatus status,
                       Map<String, Object> details, @Nullable String resolution, Instant detectedAt,
                       Instant createdAt, Instant updatedAt, @Nullable UUID scanId) {
}
