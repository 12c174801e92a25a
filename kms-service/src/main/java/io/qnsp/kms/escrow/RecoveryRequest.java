package io.qnsp.kms.escrow;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** A request to rebuild an escrowed key from its agents' shares. */
public record RecoveryRequest(UUID requestId, String tenantId, UUID escrowId, String status, String urgency,
                              String reason, String requestedBy, int requiredShares, Instant createdAt,
                              Instant expiresAt, @Nullable Instant recoveredAt) {

    static final String PENDING_SHARES = "pending_shares";
    static final String READY_FOR_APPROVAL = "ready_for_approval";
    static final String APPROVED = "approved";
    static final String DENIED = "denied";
    static final String RECOVERED = "recovered";
    static final String EXPIRED = "expired";

    static final Set<String> CLOSED = Set.of(DENIED, RECOVERED, EXPIRED);

    /** The stored status, or expired once an open request's lifetime has passed. */
    public String statusAt(Instant now) {
        return !CLOSED.contains(status) && !now.isBefore(expiresAt) ? EXPIRED : status;
    }

    RecoveryRequest withStatus(String newStatus, @Nullable Instant recovered) {
        return new RecoveryRequest(requestId, tenantId, escrowId, newStatus, urgency, reason, requestedBy,
                requiredShares, createdAt, expiresAt, recovered);
    }
}
