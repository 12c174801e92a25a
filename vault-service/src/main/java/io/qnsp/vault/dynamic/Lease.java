package io.qnsp.vault.dynamic;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/**
 * A lease: the account made for it on the config's backend (its name; the password is never kept), how long it
 * lives, and how far its revocation has come.
 *
 * @param state             {@code active}, {@code revoking}, {@code revoked} or {@code expired}: see the migration
 * @param maxExpiresAt      the config's {@code ttl.max} from the lease's creation: no renewal goes past it
 * @param revocationReason  {@code manual} or {@code expiry} once revocation was asked for
 * @param revokedAt         when the account was dropped
 * @param revokeAttempts    attempts to drop the account so far
 * @param nextAttemptAt     when a failed revocation is tried again
 * @param lastError         why the last attempt failed, in the vault's words (SQLSTATE, never a driver message)
 */
public record Lease(UUID leaseId, String tenantId, UUID configId, String username, String state,
                    @Nullable String purpose, @Nullable String requestedBy, String createdBy, Instant createdAt,
                    Instant expiresAt, Instant maxExpiresAt, @Nullable String revocationReason,
                    @Nullable Instant revocationRequestedAt, @Nullable Instant revokedAt, int revokeAttempts,
                    @Nullable Instant nextAttemptAt, @Nullable String lastError, @Nullable UUID claimToken) {

    public static final String ACTIVE = "active";
    public static final String REVOKING = "revoking";
    public static final String REVOKED = "revoked";
    public static final String EXPIRED = "expired";

    /**
     * What the API calls its status: {@code revoked} once its account was dropped on request, {@code expired} once its
     * time ran out (whether or not the sweeper has dropped the account yet), {@code active} otherwise, including
     * while a requested revocation waits for a retry (the account still exists).
     */
    public String status(Instant now) {
        if (state.equals(REVOKED)) {
            return REVOKED;
        }
        if (state.equals(EXPIRED) || !expiresAt.isAfter(now)) {
            return EXPIRED;
        }
        return ACTIVE;
    }

    /** Whether a renewal can still move its expiry: it is active, unclaimed, and short of its maximum. */
    public boolean renewable(Instant now) {
        return state.equals(ACTIVE) && expiresAt.isAfter(now) && expiresAt.isBefore(maxExpiresAt);
    }

    /** Whether its revocation was asked for and its account is not dropped yet. */
    public boolean revocationPending() {
        return state.equals(REVOKING);
    }
}
