package io.qnsp.auth.federation;

import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A report as its owner sees it; {@code data} is the JSON summary once completed ({@code null} in listings).
 * {@code completedAt} is when it completed or failed.
 */
public record ReportView(UUID reportId, ReportType reportType, ReportStatus status, ReportFormat format,
                         Instant startDate, Instant endDate, List<String> providers, Instant createdAt,
                         Instant completedAt, String failureReason, JsonNode data) {
}
