package io.qnsp.billing.invoice.web;

import io.qnsp.billing.BillingScopes;
import io.qnsp.billing.account.TenantVisibility;
import io.qnsp.billing.credit.CreditManagement;
import io.qnsp.billing.invoice.Invoice;
import io.qnsp.billing.invoice.InvoiceLine;
import io.qnsp.billing.invoice.InvoiceNotFound;
import io.qnsp.billing.invoice.Invoicing;
import io.qnsp.billing.payment.Payment;
import io.qnsp.billing.payment.PaymentCollection;
import io.qnsp.billing.pricing.PriceBook;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.security.Caller;
import io.qnsp.common.web.PathIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's invoices, one per billing period, with a line per billable operation. Another tenant's invoices answer
 * 404 unless the caller is the platform operator.
 */
@Tag(name = "Invoices")
@RestController
@RequestMapping("/billing/v1/invoices")
class InvoiceController {

    static final int MAX_PAGE = 100;
    static final List<String> STATUSES = List.of(Invoice.OPEN, Invoice.DUE, Invoice.PAID, Invoice.PAST_DUE);

    record LineItem(@Schema(description = "the billable operation, as the API reference names it") String operation,
                    @Schema(description = "the service that metered it") String service,
                    @Schema(description = "units used in the period") long quantity,
                    @Schema(description = "units the plan includes") long includedQuantity,
                    @Schema(description = "units charged: quantity beyond those included") long billableQuantity,
                    BigDecimal unitPrice,
                    @Schema(description = "billableQuantity × unitPrice, rounded half up to the currency's minor "
                            + "unit") BigDecimal amount,
                    @Schema(description = "false for an operation the price book does not name (no charge)")
                    boolean listed) {
    }

    record AppliedCredit(UUID creditId, String type, BigDecimal amount) {
    }

    record PaymentSummary(UUID paymentId,
                          @Schema(allowableValues = {"pending", "succeeded", "failed"}) String status) {
    }

    record InvoiceView(UUID invoiceId, String tenantId, @Schema(description = "the billing period, YYYY-MM")
                       String period, Instant periodStart, Instant periodEnd,
                       @Schema(allowableValues = {"open", "due", "paid", "past_due"}) String status,
                       String currency, String plan, BigDecimal planFee, List<LineItem> lineItems,
                       @Schema(description = "plan fee and line items") BigDecimal subtotal,
                       BigDecimal creditsApplied,
                       @Schema(description = "subtotal less credits: what is charged; null while the invoice is open")
                       @Nullable BigDecimal amountDue,
                       @Schema(description = "the credits applied at finalization, oldest-expiring first")
                       List<AppliedCredit> credits,
                       @Nullable PaymentSummary payment,
                       Instant createdAt, @Nullable Instant finalizedAt, @Nullable Instant paidAt) {
    }

    record InvoiceList(List<InvoiceView> invoices, long total, int limit, int offset) {
    }

    private final Invoicing invoicing;
    private final TenantVisibility visibility;
    private final CreditManagement credits;
    private final PaymentCollection payments;
    private final PriceBook prices;

    InvoiceController(Invoicing invoicing, TenantVisibility visibility, CreditManagement credits,
                      PaymentCollection payments, PriceBook prices) {
        this.invoicing = invoicing;
        this.visibility = visibility;
        this.credits = credits;
        this.payments = payments;
        this.prices = prices;
    }

    @Operation(summary = "List a tenant's invoices", operationId = "listInvoices",
            description = "Newest billing period first, each with its line items. The open invoice of the current "
                    + "period shows usage to date priced by the tenant's current plan. Needs billing:read; another "
                    + "tenant is 404 unless the caller is the platform operator.")
    @GetMapping("/{tenantId}")
    @RequiredControls(scopes = BillingScopes.READ)
    InvoiceList list(Caller caller, @PathVariable String tenantId,
                     @Parameter(description = "open, due, paid or past_due") @RequestParam(required = false)
                     @Nullable String status,
                     @Parameter(description = "1 to 100, 12 by default") @RequestParam(required = false)
                     @Nullable Integer limit,
                     @Parameter(description = "invoices to skip, 0 by default") @RequestParam(required = false)
                     @Nullable Integer offset) {
        visibility.requireVisible(caller, tenantId);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (status != null && !STATUSES.contains(status)) {
            problems.add("status", "must be one of " + STATUSES);
        }
        int pageSize = limit == null ? 12 : limit;
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            problems.add("limit", "must be between 1 and " + MAX_PAGE);
        }
        int skip = offset == null ? 0 : offset;
        if (skip < 0) {
            problems.add("offset", "must not be negative");
        }
        problems.throwIfAny();
        return new InvoiceList(invoicing.invoices(tenantId, status, pageSize, skip).stream().map(this::view).toList(),
                invoicing.count(tenantId, status), pageSize, skip);
    }

    @Operation(summary = "Get an invoice", operationId = "getInvoice",
            description = "With its line items, the credits applied and its payment. Needs billing:read.")
    @GetMapping("/{tenantId}/{invoiceId}")
    @RequiredControls(scopes = BillingScopes.READ)
    InvoiceView get(Caller caller, @PathVariable String tenantId, @PathVariable String invoiceId) {
        visibility.requireVisible(caller, tenantId);
        UUID id = PathIds.parse(invoiceId, InvoiceNotFound::new);
        return view(invoicing.invoice(tenantId, id));
    }

    private InvoiceView view(Invoice invoice) {
        List<LineItem> lines = invoice.lines().stream().map(this::line).toList();
        List<AppliedCredit> applied = credits.appliedTo(invoice.invoiceId()).stream()
                .map(a -> new AppliedCredit(a.creditId(), a.type(), prices.money(a.amount()))).toList();
        PaymentSummary payment = payments.findByInvoice(invoice.invoiceId())
                .map((Payment p) -> new PaymentSummary(p.paymentId(), p.status())).orElse(null);
        return new InvoiceView(invoice.invoiceId(), invoice.tenantId(), invoice.period().toString(),
                invoice.period().start(), invoice.period().end(), invoice.status(), invoice.currency(), invoice.plan(),
                prices.money(invoice.planFee()), lines, prices.money(invoice.subtotal()),
                prices.money(invoice.creditsApplied()),
                invoice.amountDue() == null ? null : prices.money(invoice.amountDue()), applied, payment,
                invoice.createdAt(), invoice.finalizedAt(), invoice.paidAt());
    }

    private LineItem line(InvoiceLine line) {
        return new LineItem(line.operation(), line.service(), line.quantity(), line.included(),
                Math.max(0, line.quantity() - line.included()), PriceBook.normalize(line.unitPrice()),
                prices.money(line.amount()), line.listed());
    }
}
