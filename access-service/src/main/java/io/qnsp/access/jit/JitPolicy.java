package io.qnsp.access.jit;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.UUID;

/**
 * How temporary access to some resource types is granted: for how long at most, whether someone holding one of the
 * approver roles must approve, and when a request is approved without anyone.
 *
 * @param autoApprove {@code null} when a request needing approval always waits for an approver
 */
public record JitPolicy(UUID policyId, String tenantId, String name, @Nullable String description,
                        List<String> resourceTypes, int maxDurationMinutes, boolean requireApproval,
                        List<String> approverRoles, @Nullable AutoApprove autoApprove, Instant createdAt,
                        String createdBy) {

    /**
     * Conditions under which a request is approved at once; every one given must hold.
     *
     * @param windowStart  with {@code windowEnd}: the UTC time of day requests are approved in ({@code end} before
     *                     {@code start} spans midnight); {@code null} for any time
     * @param maxRiskScore the highest risk score of the requester approved at once; {@code null} for no limit
     */
    public record AutoApprove(@Nullable LocalTime windowStart, @Nullable LocalTime windowEnd,
                              @Nullable BigDecimal maxRiskScore) {

        /** Whether a request made at {@code time} by a requester of {@code riskScore} (if known) is approved at once. */
        boolean approves(LocalTime time, @Nullable BigDecimal riskScore) {
            if (windowStart != null && windowEnd != null) {
                boolean inside = windowStart.isBefore(windowEnd)
                        ? !time.isBefore(windowStart) && time.isBefore(windowEnd)
                        : !time.isBefore(windowStart) || time.isBefore(windowEnd);
                if (!inside) {
                    return false;
                }
            }
            // a limit on the risk score is met only by a known score
            return maxRiskScore == null || riskScore != null && riskScore.compareTo(maxRiskScore) <= 0;
        }
    }
}
