package io.qnsp.vault.leak;

import java.util.Map;

/** A tenant's incidents counted by status, severity and source (only the values that have any). */
public record IncidentCounts(Map<String, Long> byStatus, Map<String, Long> bySeverity, Map<String, Long> bySource) {
}
