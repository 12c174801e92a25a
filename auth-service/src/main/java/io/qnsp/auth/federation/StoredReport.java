package io.qnsp.auth.federation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A row of {@code federation_audit_report}, without its file. */
record StoredReport(UUID id, String tenantId, ReportType reportType, ReportFormat format, ReportStatus status,
                    Instant rangeStart, Instant rangeEnd, List<String> providers, String requestedBy,
                    Instant createdAt, int attempts, Instant claimedAt, Instant completedAt, String failureReason,
                    String dataJson) {
}
