package io.qnsp.kms.escrow;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * An escrow agent: holds one share of every key escrowed under the policy. Roles: primary, secondary, witness.
 * With a public key, the agent's share is handed out sealed to it instead of in the clear.
 */
public record EscrowAgent(@Nullable String agentId,
                          @Schema(description = "primary, secondary or witness") @Nullable String role,
                          @Schema(description = "optional base64 X.509 SubjectPublicKeyInfo of an RSA (2048 bits or "
                                  + "more) or ML-KEM-768 key: the agent's share is then sealed to it")
                          @Nullable String publicKey) {
}
