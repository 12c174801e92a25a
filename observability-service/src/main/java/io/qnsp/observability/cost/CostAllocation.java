package io.qnsp.observability.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A cost a tenant attributed to one of its resources and cost centers for a period. */
public record CostAllocation(UUID allocationId, String tenantId, String resourceId, String resourceType,
                             String costCenter, BigDecimal amount, String currency, Instant periodStart,
                             Instant periodEnd, Map<String, String> tags, String recordedBy, Instant recordedAt) {

    /**
     * The platform service the resource belongs to: its type up to the first {@code .}, {@code :} or {@code /}
     * ({@code kms.key} belongs to {@code kms}).
     */
    public static String serviceOf(String resourceType) {
        String lower = resourceType.toLowerCase(java.util.Locale.ROOT);
        int end = lower.length();
        for (char separator : new char[] {'.', ':', '/'}) {
            int at = lower.indexOf(separator);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return lower.substring(0, end);
    }
}
