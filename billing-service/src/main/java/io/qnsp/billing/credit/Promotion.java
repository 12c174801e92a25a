package io.qnsp.billing.credit;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A promotion code defined by the operator: each tenant may redeem it once, for a promotional credit.
 *
 * @param creditValidityDays how long the credit a redemption grants lasts; {@code null} for no expiry
 * @param maxRedemptions     redemptions over all tenants; 1 for a single-use code, {@code null} for no limit
 * @param expiresAt          after this instant the code is no longer redeemed; {@code null} for never
 */
public record Promotion(UUID promotionId, String code, @Nullable String description, BigDecimal creditAmount,
                        String currency, @Nullable Integer creditValidityDays, @Nullable Integer maxRedemptions,
                        int redemptions, @Nullable Instant expiresAt, Instant createdAt, String createdBy) {
}
