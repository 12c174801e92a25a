package io.qnsp.access.jit;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Temporary permissions of one principal on one resource, active from {@code grantedAt} until {@code expiresAt}. */
public record JitGrant(UUID grantId, String tenantId, UUID requestId, String principalId, String resourceType,
                       String resourceId, List<String> permissions, Instant grantedAt, Instant expiresAt,
                       @Nullable Instant revokedAt, @Nullable String revokedBy, @Nullable String revokeReason) {

    /** Whether it takes part in decisions at the moment given: not revoked, not yet expired. */
    public boolean activeAt(Instant at) {
        return revokedAt == null && at.isBefore(expiresAt);
    }
}
