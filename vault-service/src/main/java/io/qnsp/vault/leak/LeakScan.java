package io.qnsp.vault.leak;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A scan: what it was asked to read, and how far it got.
 *
 * @param estimatedUnits    the repositories it was expected to read when it was submitted
 * @param repositoriesTotal the repositories it found to read (organizations listed), once it knows
 * @param progress          0 to 100: repositories read, the current one counted by the part of it read
 * @param findings          distinct values found per location (each an incident, new or seen again)
 * @param failureReason     why it failed, in words safe to show
 */
public record LeakScan(UUID scanId, String tenantId, ScanStatus status, List<ScanTarget> targets,
                       List<String> repositories, List<String> organizations, List<UUID> policyIds,
                       String requestedBy, Instant createdAt, int estimatedUnits, Instant estimatedCompletionAt,
                       @Nullable Instant startedAt, @Nullable Instant completedAt, int progress,
                       @Nullable Integer repositoriesTotal, int repositoriesScanned, long filesScanned, int findings,
                       @Nullable String failureReason) {
}
