package io.qnsp.audit.retention;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * What one cleanup did, or for a dry run would have done.
 *
 * @param executionId     the run's id, also the archive's file name
 * @param policyId        the policy applied
 * @param eventsProcessed the events the policy covered at the cutoff
 * @param eventsDeleted   the events deleted (dry run: that would be deleted)
 * @param eventsArchived  the events written to the archive (dry run: that would be written; 0 without archiving)
 * @param dryRun          whether nothing was changed
 * @param bytesReclaimed  the deleted rows' size (dry run: the size that would be deleted), see {@link RetainedEvents}
 * @param cutoff          events that occurred before this instant were covered
 * @param archiveFile     the archive's path relative to the archive directory; {@code null} when none was written
 * @param executedAt      when the run started
 */
public record CleanupReport(UUID executionId, UUID policyId, long eventsProcessed, long eventsDeleted,
                            long eventsArchived, boolean dryRun, long bytesReclaimed, Instant cutoff,
                            @Nullable String archiveFile, Instant executedAt) {
}
