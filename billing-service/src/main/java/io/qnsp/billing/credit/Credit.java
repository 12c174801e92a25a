package io.qnsp.billing.credit;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Money a tenant may spend on its invoices before it is charged.
 *
 * @param type        {@code promotional}, {@code refund}, {@code goodwill} or {@code referral}
 * @param remaining   what is left of {@code amount} after the invoices it was applied to
 * @param expiresAt   after this instant what is left can no longer be applied; {@code null} for never
 * @param promotionId the promotion code it was redeemed from, if any
 */
public record Credit(UUID creditId, String tenantId, String type, BigDecimal amount, BigDecimal remaining,
                     String currency, @Nullable Instant expiresAt, String reason, @Nullable UUID promotionId,
                     Instant createdAt, String createdBy) {

    public static final List<String> TYPES = List.of("promotional", "refund", "goodwill", "referral");
}
