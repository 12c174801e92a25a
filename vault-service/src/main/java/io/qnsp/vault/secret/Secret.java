package io.qnsp.vault.secret;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * A secret: a client-chosen id within a tenant, the number of its newest (current) version and its retention policy.
 *
 * @param latestVersion       the current version: the newest one written (numbers are never reused)
 * @param retentionUpdatedAt  when the retention policy was last set; {@code null} if it never was
 */
public record Secret(String tenantId, String secretId, int latestVersion, Instant createdAt, Instant updatedAt,
                     RetentionPolicy retention, @Nullable Instant retentionUpdatedAt) {
}
