package io.qnsp.auth.federation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A report as its owner sees it; {@code dataJson} is the JSON summary once completed ({@code null} in listings),
 * as stored. {@code completedAt} is when it completed or failed.
 */
public record ReportView(UUID reportId, ReportType reportType, ReportStatus status, ReportFormat format,
                         Instant startDate, Instant endDate, List<String> providers, Instant createdAt,
                         Instant completedAt, String failureReason, String dataJson) {
}
