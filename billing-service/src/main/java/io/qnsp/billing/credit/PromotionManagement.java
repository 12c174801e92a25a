package io.qnsp.billing.credit;

import io.qnsp.billing.pricing.PriceBook;
import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Promotion codes: defined by the operator (single or multi-use, with an expiry), redeemed by a tenant at most once
 * for a promotional credit. Redemptions of one code hold its row lock, so a single-use code is never redeemed twice,
 * however many tenants try at once.
 */
@Service
public class PromotionManagement {

    /** Codes are matched without regard to case and stored upper case. */
    public static final Pattern CODE = Pattern.compile("[A-Z0-9][A-Z0-9_-]{2,63}");

    /**
     * The answer to a redemption.
     *
     * @param reason   {@code redeemed}, {@code unknown_code}, {@code expired}, {@code exhausted} or
     *                 {@code already_redeemed}
     * @param credit   the credit granted, when it succeeded
     */
    public record Redemption(boolean success, BigDecimal creditAmount, String currency, String message, String reason,
                             @Nullable Credit credit) {
    }

    private final Promotions promotions;
    private final CreditManagement credits;
    private final PriceBook prices;
    private final Clock clock;

    PromotionManagement(Promotions promotions, CreditManagement credits, PriceBook prices, Clock clock) {
        this.promotions = promotions;
        this.credits = credits;
        this.prices = prices;
        this.clock = clock;
    }

    public static String normalize(String code) {
        return code.strip().toUpperCase(Locale.ROOT);
    }

    /**
     * Defines a promotion code.
     *
     * @throws PromotionCodeTaken when the code exists
     */
    @Transactional
    public Promotion define(String code, @Nullable String description, BigDecimal creditAmount,
                            @Nullable Integer creditValidityDays, @Nullable Integer maxRedemptions,
                            @Nullable Instant expiresAt, String actor) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (creditAmount.signum() <= 0) {
            problems.add("creditAmount", "must be greater than 0");
        } else if (!prices.isWholeMinorUnits(creditAmount)) {
            problems.add("creditAmount", "must have at most " + prices.digits() + " decimal places");
        } else if (creditAmount.compareTo(new BigDecimal("1000000000")) >= 0) {
            problems.add("creditAmount", "must be less than 1000000000");
        }
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            problems.add("expiresAt", "must be in the future");
        }
        problems.throwIfAny();
        Promotion promotion = new Promotion(UUID.randomUUID(), normalize(code), description,
                prices.money(creditAmount), prices.currency(), creditValidityDays, maxRedemptions, 0, expiresAt, now,
                actor);
        if (!promotions.insert(promotion)) {
            throw new PromotionCodeTaken();
        }
        return promotion;
    }

    public List<Promotion> list(int limit, int offset) {
        return promotions.list(limit, offset);
    }

    public long count() {
        return promotions.count();
    }

    /** Redeems the code for the tenant; a code that cannot be redeemed is answered, not thrown. */
    @Transactional
    public Redemption redeem(String tenantId, String code, String actor) {
        BigDecimal none = prices.money(BigDecimal.ZERO);
        Promotion promotion = promotions.findByCodeForUpdate(normalize(code)).orElse(null);
        if (promotion == null) {
            return new Redemption(false, none, prices.currency(), "No promotion has this code", "unknown_code",
                    null);
        }
        Instant now = clock.instant();
        if (promotion.expiresAt() != null && !promotion.expiresAt().isAfter(now)) {
            return new Redemption(false, none, promotion.currency(), "The promotion code expired at "
                    + promotion.expiresAt(), "expired", null);
        }
        if (promotions.redeemed(promotion.promotionId(), tenantId)) {
            return new Redemption(false, none, promotion.currency(), "The tenant has redeemed this code already",
                    "already_redeemed", null);
        }
        if (promotion.maxRedemptions() != null && promotion.redemptions() >= promotion.maxRedemptions()) {
            return new Redemption(false, none, promotion.currency(), "The promotion code has been used up",
                    "exhausted", null);
        }
        Instant creditExpiry = promotion.creditValidityDays() == null ? null
                : now.plus(Duration.ofDays(promotion.creditValidityDays()));
        Credit credit = credits.grant(tenantId, promotion.creditAmount(), promotion.currency(), "promotional",
                creditExpiry, "promotion code " + promotion.code(), actor, promotion.promotionId());
        promotions.recordRedemption(promotion.promotionId(), tenantId, credit.creditId(), now, actor);
        return new Redemption(true, credit.amount(), credit.currency(), "Redeemed: a promotional credit of "
                + credit.amount().toPlainString() + " " + credit.currency()
                + (creditExpiry == null ? "" : ", valid until " + creditExpiry), "redeemed", credit);
    }
}
