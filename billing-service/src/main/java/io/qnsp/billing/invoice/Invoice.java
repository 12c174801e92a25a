package io.qnsp.billing.invoice;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's invoice for one billing period. While {@code open} it accrues usage and is priced by the tenant's
 * current plan; once the period has ended it is finalized: priced for good, credits applied, and the rest charged.
 *
 * @param status         {@code open}, {@code due} (charged, awaiting the payment), {@code paid} or {@code past_due}
 *                       (the payment failed)
 * @param creditsApplied credits taken off at finalization
 * @param amountDue      what was charged: subtotal less credits; {@code null} while open
 */
public record Invoice(UUID invoiceId, String tenantId, BillingPeriod period, String currency, String plan,
                      BigDecimal planFee, String status, BigDecimal creditsApplied, @Nullable BigDecimal amountDue,
                      Instant createdAt, @Nullable Instant finalizedAt, @Nullable Instant paidAt,
                      List<InvoiceLine> lines) {

    public static final String OPEN = "open";
    public static final String DUE = "due";
    public static final String PAID = "paid";
    public static final String PAST_DUE = "past_due";

    /** The plan fee and every line's amount. */
    public BigDecimal subtotal() {
        BigDecimal total = planFee;
        for (InvoiceLine line : lines) {
            total = total.add(line.amount());
        }
        return total;
    }

    public Invoice withLines(List<InvoiceLine> newLines) {
        return new Invoice(invoiceId, tenantId, period, currency, plan, planFee, status, creditsApplied, amountDue,
                createdAt, finalizedAt, paidAt, List.copyOf(newLines));
    }
}
