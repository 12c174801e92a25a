package io.qnsp.kms.escrow;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/** One caller's approval or denial of a recovery request. */
public record RecoveryDecision(String decidedBy, boolean admin, String decision, @Nullable String reason,
                               Instant decidedAt) {
}
