package io.qnsp.kms.escrow;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** One step of an escrow's life in the escrow audit log; its details never hold a share or key material. */
public record EscrowAuditEvent(UUID eventId, UUID escrowId, String eventType, String actor, Instant timestamp,
                               Map<String, Object> details) {

    static final String CREATED = "created";
    static final String RECOVERY_INITIATED = "recovery_initiated";
    static final String SHARE_SUBMITTED = "share_submitted";
    static final String SHARE_REJECTED = "share_rejected";
    static final String APPROVED = "approved";
    static final String DENIED = "denied";
    static final String RECOVERED = "recovered";
    static final String EXPIRED = "expired";

    public static final Set<String> TYPES = Set.of(CREATED, RECOVERY_INITIATED, SHARE_SUBMITTED, SHARE_REJECTED,
            APPROVED, DENIED, RECOVERED, EXPIRED);
}
