package io.qnsp.billing.invoice;

import io.qnsp.billing.account.Account;
import io.qnsp.billing.account.AccountManagement;
import io.qnsp.billing.credit.CreditManagement;
import io.qnsp.billing.payment.PaymentCollection;
import io.qnsp.billing.pricing.PriceBook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Closes billing periods: once a period has ended (plus the grace for late usage), each of its open invoices is
 * priced by the tenant's plan, the tenant's credits are applied oldest-expiring first, and what is left is charged.
 * Each invoice is finalized in a transaction of its own, claimed with {@code FOR UPDATE SKIP LOCKED}, so several
 * instances share the work and never finalize one invoice twice.
 */
@Component
public class InvoiceFinalization {

    private static final Logger log = LoggerFactory.getLogger(InvoiceFinalization.class);

    /** What finalizing one invoice came to. */
    public record Finalized(UUID invoiceId, String tenantId, BigDecimal subtotal, BigDecimal creditsApplied,
                            BigDecimal amountDue, UUID paymentId) {
    }

    private final Invoices invoices;
    private final Invoicing invoicing;
    private final AccountManagement accounts;
    private final CreditManagement credits;
    private final PaymentCollection payments;
    private final PriceBook prices;
    private final InvoiceSettings settings;
    private final TransactionTemplate transactions;
    private final Clock clock;

    InvoiceFinalization(Invoices invoices, Invoicing invoicing, AccountManagement accounts, CreditManagement credits,
                        PaymentCollection payments, PriceBook prices, InvoiceSettings settings,
                        PlatformTransactionManager transactionManager, Clock clock) {
        this.invoices = invoices;
        this.invoicing = invoicing;
        this.accounts = accounts;
        this.credits = credits;
        this.payments = payments;
        this.prices = prices;
        this.settings = settings;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /**
     * Creates the fee-only invoices of the period that just ended, then finalizes and charges every invoice due.
     *
     * @return how many invoices were finalized
     */
    @Scheduled(fixedDelayString = "${qnsp.billing.invoices.finalization-interval:1m}",
            initialDelayString = "${qnsp.billing.invoices.finalization-interval:1m}")
    public int finalizeDue() {
        createFeeInvoices();
        int count = 0;
        while (true) {
            Finalized finalized = transactions.execute(status -> finalizeNext());
            if (finalized == null) {
                return count;
            }
            count++;
            if (finalized.paymentId() != null) {
                try {
                    payments.attemptNew(finalized.paymentId());
                } catch (RuntimeException e) {
                    // the payment stays pending; the collection sweep attempts it
                    log.warn("First attempt of payment {} failed: {}", finalized.paymentId(), e.toString());
                }
            }
        }
    }

    /**
     * An account on a plan with a fee is invoiced the fee for a period even when it uses nothing in it: the invoices
     * of the period that just ended and of the current one (so the fee counts towards the current month's revenue
     * from its start) are created for such accounts that have none.
     */
    private void createFeeInvoices() {
        Instant now = clock.instant();
        BillingPeriod current = BillingPeriod.of(now);
        transactions.executeWithoutResult(status -> prices.plans().values().stream()
                .filter(plan -> plan.monthlyFee().signum() > 0)
                .forEach(plan -> {
                    invoices.insertFeeInvoices(current.previous(), plan.name(), plan.monthlyFee(),
                            prices.currency(), now);
                    invoices.insertFeeInvoices(current, plan.name(), plan.monthlyFee(), prices.currency(), now);
                }));
    }

    private Finalized finalizeNext() {
        Instant now = clock.instant();
        Optional<Invoice> due = invoices.lockNextDue(now.minus(settings.finalizationGrace()));
        if (due.isEmpty()) {
            return null;
        }
        Account account = accounts.findOrDefault(due.get().tenantId());
        Invoice invoice = invoicing.reprice(due.get(), account.plan());
        BigDecimal subtotal = prices.money(invoice.subtotal());
        BigDecimal credited = subtotal.signum() > 0
                ? credits.applyTo(invoice.tenantId(), invoice.invoiceId(), subtotal, now) : prices.money(BigDecimal.ZERO);
        BigDecimal amountDue = prices.money(subtotal.subtract(credited));
        UUID paymentId = null;
        if (amountDue.signum() == 0) {
            invoices.finalizeInvoice(invoice.invoiceId(), Invoice.PAID, credited, amountDue, now);
        } else {
            invoices.finalizeInvoice(invoice.invoiceId(), Invoice.DUE, credited, amountDue, now);
            paymentId = payments.open(invoice.tenantId(), invoice.invoiceId(), amountDue, invoice.currency());
        }
        log.info("Finalized invoice {} of tenant {} for {}: subtotal {}, credits {}, due {} {}", invoice.invoiceId(),
                invoice.tenantId(), invoice.period(), subtotal, credited, amountDue, invoice.currency());
        return new Finalized(invoice.invoiceId(), invoice.tenantId(), subtotal, credited, amountDue, paymentId);
    }
}
