package io.qnsp.billing.invoice;

import io.qnsp.billing.account.Account;
import io.qnsp.billing.account.AccountManagement;
import io.qnsp.billing.account.AccountPlanChanged;
import io.qnsp.billing.payment.PaymentFailed;
import io.qnsp.billing.payment.PaymentSucceeded;
import io.qnsp.billing.pricing.PriceBook;
import io.qnsp.billing.pricing.Rate;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Rates usage into the tenant's open invoice of the period it happened in, one line per billable operation priced by
 * the tenant's plan, and keeps invoices in step with plan changes and payments.
 */
@Service
public class Invoicing {

    // How many later periods a late event may be carried to before giving up (a clock far behind the data).
    private static final int MAX_PERIODS_AHEAD = 24;

    private final Invoices invoices;
    private final AccountManagement accounts;
    private final PriceBook prices;
    private final Clock clock;

    Invoicing(Invoices invoices, AccountManagement accounts, PriceBook prices, Clock clock) {
        this.invoices = invoices;
        this.accounts = accounts;
        this.prices = prices;
        this.clock = clock;
    }

    /**
     * Adds {@code quantity} units of the operation to the tenant's invoice and prices its line. Usage of a period
     * whose invoice is already finalized goes on the next open invoice. Runs in the caller's transaction.
     *
     * @return the invoice it was rated into
     */
    @Transactional
    public UUID rate(String tenantId, String operation, String service, long quantity, Instant occurredAt) {
        Account account = accounts.ensure(tenantId);
        Instant now = clock.instant();
        BillingPeriod period = BillingPeriod.of(occurredAt);
        for (int i = 0; i <= MAX_PERIODS_AHEAD; i++) {
            Invoice invoice = openOrCreate(tenantId, period, account.plan(), now);
            if (invoice != null) {
                long units = invoices.addUnits(invoice.invoiceId(), operation, service, quantity);
                Rate rate = prices.rate(invoice.plan(), operation);
                invoices.priceLine(invoice.invoiceId(), rate, prices.charge(rate, units));
                return invoice.invoiceId();
            }
            // finalized already: carry the usage to the period of now, or on
            BillingPeriod current = BillingPeriod.of(now);
            period = current.month().isAfter(period.month()) ? current : period.next();
        }
        throw new IllegalStateException("no open invoice for tenant " + tenantId + " within " + MAX_PERIODS_AHEAD
                + " periods of " + occurredAt);
    }

    /** The period's invoice if it is open (created when missing), locked against finalization; else null. */
    private @Nullable Invoice openOrCreate(String tenantId, BillingPeriod period, String plan, Instant now) {
        invoices.insertIfAbsent(tenantId, period, prices.currency(), plan, prices.plan(plan).monthlyFee(), now);
        Invoice invoice = invoices.findForRating(tenantId, period).orElseThrow();
        return Invoice.OPEN.equals(invoice.status()) ? invoice : null;
    }

    /** The open invoices follow the tenant's new plan: the plan in force at finalization prices the whole period. */
    @EventListener
    public void planChanged(AccountPlanChanged change) {
        for (Invoice invoice : invoices.openForUpdate(change.tenantId())) {
            reprice(invoice, change.plan());
        }
    }

    /** Prices every line and the fee of an invoice by the plan; answers the invoice as priced. */
    public Invoice reprice(Invoice invoice, String planName) {
        PriceBook.Plan plan = prices.plan(planName);
        invoices.setPlan(invoice.invoiceId(), plan.name(), plan.monthlyFee());
        for (InvoiceLine line : invoice.lines()) {
            Rate rate = prices.rate(plan.name(), line.operation());
            invoices.priceLine(invoice.invoiceId(), rate, prices.charge(rate, line.quantity()));
        }
        return invoices.findById(invoice.invoiceId()).orElseThrow();
    }

    @EventListener
    public void paymentSucceeded(PaymentSucceeded payment) {
        invoices.markPaid(payment.invoiceId(), clock.instant());
    }

    @EventListener
    public void paymentFailed(PaymentFailed payment) {
        invoices.markPastDue(payment.invoiceId());
    }

    public List<Invoice> invoices(String tenantId, @Nullable String status, int limit, int offset) {
        return invoices.list(tenantId, status, limit, offset);
    }

    public long count(String tenantId, @Nullable String status) {
        return invoices.count(tenantId, status);
    }

    /** @throws InvoiceNotFound when the tenant has no such invoice */
    public Invoice invoice(String tenantId, UUID invoiceId) {
        return invoices.find(tenantId, invoiceId).orElseThrow(InvoiceNotFound::new);
    }
}
