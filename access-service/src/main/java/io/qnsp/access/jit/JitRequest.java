package io.qnsp.access.jit;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A principal's request for temporary permissions on one resource.
 *
 * @param approvers    the roles one of which approves it (empty when it was approved at once)
 * @param autoApproved whether the policy approved it without an approver
 */
public record JitRequest(UUID requestId, String tenantId, UUID policyId, String requesterId, String resourceType,
                         String resourceId, List<String> permissions, String justification, int durationMinutes,
                         @Nullable String ticketReference, @Nullable BigDecimal riskScore, String status,
                         List<String> approvers, Instant requestedAt, @Nullable Instant processedAt,
                         @Nullable String processedBy, @Nullable String processReason, boolean autoApproved,
                         @Nullable UUID grantId) {

    public static final String PENDING = "pending";
    public static final String APPROVED = "approved";
    public static final String DENIED = "denied";
    public static final List<String> STATUSES = List.of(PENDING, APPROVED, DENIED);

    JitRequest processed(String newStatus, Instant at, String by, @Nullable String reason, @Nullable UUID grant) {
        return new JitRequest(requestId, tenantId, policyId, requesterId, resourceType, resourceId, permissions,
                justification, durationMinutes, ticketReference, riskScore, newStatus, approvers, requestedAt, at, by,
                reason, autoApproved, grant);
    }
}
