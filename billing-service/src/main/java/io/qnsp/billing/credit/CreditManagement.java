package io.qnsp.billing.credit;

import io.qnsp.billing.account.AccountManagement;
import io.qnsp.billing.pricing.PriceBook;
import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Credits: granted by the operator or redeemed from promotion codes, spent on invoices at finalization before
 * anything is charged, oldest-expiring first, and unusable after their expiry.
 */
@Service
public class CreditManagement {

    /** A credit's contribution to an invoice. */
    public record Applied(UUID creditId, String type, BigDecimal amount, Instant appliedAt) {
    }

    /** Credit still to spend, and the part of it that expires. */
    public record Balance(String tenantId, BigDecimal balance, String currency, List<Expiring> expiring) {
    }

    /** What is left of one credit with an expiry. */
    public record Expiring(UUID creditId, String type, BigDecimal amount, Instant expiresAt) {
    }

    private final Credits credits;
    private final AccountManagement accounts;
    private final PriceBook prices;
    private final Clock clock;

    CreditManagement(Credits credits, AccountManagement accounts, PriceBook prices, Clock clock) {
        this.credits = credits;
        this.accounts = accounts;
        this.prices = prices;
        this.clock = clock;
    }

    public Instant now() {
        return clock.instant();
    }

    /**
     * Grants a credit.
     *
     * @throws InvalidField for an amount that is not positive or finer than the currency's minor unit, another
     *                      currency than the price book's, or an expiry that has passed
     */
    @Transactional
    public Credit grant(String tenantId, BigDecimal amount, String currency, String type, @Nullable Instant expiresAt,
                        String reason, String actor, @Nullable UUID promotionId) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (amount.signum() <= 0) {
            problems.add("amount", "must be greater than 0");
        } else if (!prices.isWholeMinorUnits(amount)) {
            problems.add("amount", "must have at most " + prices.digits() + " decimal places");
        } else if (amount.compareTo(new BigDecimal("1000000000")) >= 0) {
            problems.add("amount", "must be less than 1000000000");
        }
        if (!prices.currency().equals(currency)) {
            problems.add("currency", "must be " + prices.currency() + ", the currency of the price book");
        }
        if (!Credit.TYPES.contains(type)) {
            problems.add("type", "must be one of " + Credit.TYPES);
        }
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            problems.add("expiresAt", "must be in the future");
        }
        problems.throwIfAny();
        accounts.ensure(tenantId);
        Credit credit = new Credit(UUID.randomUUID(), tenantId, type, prices.money(amount), prices.money(amount),
                currency, expiresAt, reason, promotionId, now, actor);
        credits.insert(credit);
        return credit;
    }

    /** The tenant's unexpired credit, with the credits that expire soonest first. */
    public Balance balance(String tenantId) {
        BigDecimal total = prices.money(BigDecimal.ZERO);
        List<Expiring> expiring = new ArrayList<>();
        for (Credit credit : credits.usable(tenantId, clock.instant())) {
            total = total.add(credit.remaining());
            if (credit.expiresAt() != null) {
                expiring.add(new Expiring(credit.creditId(), credit.type(), prices.money(credit.remaining()),
                        credit.expiresAt()));
            }
        }
        return new Balance(tenantId, prices.money(total), prices.currency(), expiring);
    }

    /**
     * Spends the tenant's credits on an invoice being finalized, oldest-expiring first, up to {@code amount}; inside
     * the finalizing transaction, with the credits locked.
     *
     * @return what the credits covered, at most {@code amount}
     */
    public BigDecimal applyTo(String tenantId, UUID invoiceId, BigDecimal amount, Instant now) {
        BigDecimal left = amount;
        for (Credit credit : credits.usableForUpdate(tenantId, now)) {
            if (left.signum() <= 0) {
                break;
            }
            if (!credit.currency().equals(prices.currency())) {
                continue;
            }
            BigDecimal spent = credit.remaining().min(left);
            credits.spend(credit.creditId(), invoiceId, spent, now);
            left = left.subtract(spent);
        }
        return amount.subtract(left);
    }

    public List<Applied> appliedTo(UUID invoiceId) {
        return credits.applications(invoiceId);
    }
}
