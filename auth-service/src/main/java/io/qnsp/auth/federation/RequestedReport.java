package io.qnsp.auth.federation;

import java.time.Instant;
import java.util.UUID;

/** The receipt of a report request: generation continues in the background. */
public record RequestedReport(UUID reportId, ReportStatus status, Instant createdAt, Instant estimatedCompletionAt) {
}
