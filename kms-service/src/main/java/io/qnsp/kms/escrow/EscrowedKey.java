package io.qnsp.kms.escrow;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A key version split into shares under a policy; the agents and threshold are those of the policy at the time.
 *
 * @param status {@code active} or {@code recovered} as stored; see {@link #statusAt}
 */
public record EscrowedKey(UUID escrowId, String tenantId, UUID keyId, int keyVersion, UUID policyId,
                          List<EscrowAgent> agents, int recoveryThreshold, @Nullable String reason, String status,
                          @Nullable Instant expiresAt, Instant createdAt, @Nullable Instant recoveredAt) {

    static final String ACTIVE = "active";
    static final String RECOVERED = "recovered";
    static final String EXPIRED = "expired";

    /** active, recovered, or expired once an active escrow's retention has passed. */
    public String statusAt(Instant now) {
        if (ACTIVE.equals(status) && expiresAt != null && !now.isBefore(expiresAt)) {
            return EXPIRED;
        }
        return status;
    }
}
