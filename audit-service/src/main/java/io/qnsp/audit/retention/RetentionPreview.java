package io.qnsp.audit.retention;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * What a cleanup of a policy would remove now. Dates are {@code null} when it would remove nothing.
 *
 * @param sizeBytes the rows' size as {@link RetainedEvents} measures it
 * @param cutoff    events that occurred before this instant are covered
 */
public record RetentionPreview(UUID policyId, long eventsAffected, @Nullable Instant oldestEventDate,
                               @Nullable Instant newestEventDate, long sizeBytes, Instant cutoff) {
}
