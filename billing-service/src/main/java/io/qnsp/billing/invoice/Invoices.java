package io.qnsp.billing.invoice;

import io.qnsp.billing.pricing.Rate;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The stored invoices and their lines. */
@Repository
class Invoices {

    private static final String COLUMNS = "invoice_id, tenant_id, period_start, currency, plan, plan_fee, status, "
            + "credits_applied, amount_due, created_at, finalized_at, paid_at";

    private static final RowMapper<Invoice> HEADER = (rs, n) -> new Invoice(rs.getObject("invoice_id", UUID.class),
            rs.getString("tenant_id"), BillingPeriod.of(rs.getTimestamp("period_start").toInstant()),
            rs.getString("currency").strip(), rs.getString("plan"), rs.getBigDecimal("plan_fee"),
            rs.getString("status"), rs.getBigDecimal("credits_applied"), rs.getBigDecimal("amount_due"),
            rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("finalized_at")),
            instant(rs.getTimestamp("paid_at")), List.of());

    private static final RowMapper<InvoiceLine> LINE = (rs, n) -> new InvoiceLine(rs.getString("operation"),
            rs.getString("service"), rs.getLong("quantity"), rs.getLong("included"), rs.getBigDecimal("unit_price"),
            rs.getBigDecimal("amount"), rs.getBoolean("listed"));

    private final JdbcClient jdbc;

    Invoices(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insertIfAbsent(String tenantId, BillingPeriod period, String currency, String plan, BigDecimal fee,
                        Instant now) {
        jdbc.sql("INSERT INTO invoice (invoice_id, tenant_id, period_start, period_end, currency, plan, plan_fee, "
                        + "status, created_at) VALUES (:id, :tenant, :start, :end, :currency, :plan, :fee, 'open', :now) "
                        + "ON CONFLICT (tenant_id, period_start) DO NOTHING")
                .param("id", UUID.randomUUID()).param("tenant", tenantId)
                .param("start", Timestamp.from(period.start())).param("end", Timestamp.from(period.end()))
                .param("currency", currency).param("plan", plan).param("fee", fee)
                .param("now", Timestamp.from(now)).update();
    }

    /**
     * Fee-only invoices of the period for the plan's accounts that have none, were created before the period ended
     * and are not cancelled.
     */
    int insertFeeInvoices(BillingPeriod period, String plan, BigDecimal fee, String currency, Instant now) {
        return jdbc.sql("INSERT INTO invoice (invoice_id, tenant_id, period_start, period_end, currency, plan, "
                        + "plan_fee, status, created_at) SELECT gen_random_uuid(), a.tenant_id, :start, :end, :currency, "
                        + "a.plan, :fee, 'open', :now FROM account a WHERE a.plan = :plan AND a.status <> 'cancelled' "
                        + "AND a.created_at < :end ON CONFLICT (tenant_id, period_start) DO NOTHING")
                .param("start", Timestamp.from(period.start())).param("end", Timestamp.from(period.end()))
                .param("currency", currency).param("plan", plan).param("fee", fee)
                .param("now", Timestamp.from(now)).update();
    }

    /** The tenant's invoice of the period, locked against finalization (others may rate into it meanwhile). */
    Optional<Invoice> findForRating(String tenantId, BillingPeriod period) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM invoice WHERE tenant_id = :tenant AND period_start = :start "
                        + "FOR SHARE")
                .param("tenant", tenantId).param("start", Timestamp.from(period.start())).query(HEADER).optional();
    }

    Optional<Invoice> find(String tenantId, UUID invoiceId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM invoice WHERE tenant_id = :tenant AND invoice_id = :id")
                .param("tenant", tenantId).param("id", invoiceId).query(HEADER).optional()
                .map(invoice -> invoice.withLines(lines(invoice.invoiceId())));
    }

    Optional<Invoice> findById(UUID invoiceId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM invoice WHERE invoice_id = :id").param("id", invoiceId)
                .query(HEADER).optional().map(invoice -> invoice.withLines(lines(invoice.invoiceId())));
    }

    /** The tenant's invoices, newest period first, with their lines. */
    List<Invoice> list(String tenantId, @Nullable String status, int limit, int offset) {
        List<Invoice> headers = jdbc.sql("SELECT " + COLUMNS + " FROM invoice WHERE tenant_id = :tenant "
                        + "AND (CAST(:status AS text) IS NULL OR status = :status) ORDER BY period_start DESC "
                        + "LIMIT :limit OFFSET :offset")
                .param("tenant", tenantId).param("status", status).param("limit", limit).param("offset", offset)
                .query(HEADER).list();
        return withLines(headers);
    }

    long count(String tenantId, @Nullable String status) {
        return jdbc.sql("SELECT count(*) FROM invoice WHERE tenant_id = :tenant "
                        + "AND (CAST(:status AS text) IS NULL OR status = :status)")
                .param("tenant", tenantId).param("status", status).query(Long.class).single();
    }

    /** Open invoices of the tenant, locked. */
    List<Invoice> openForUpdate(String tenantId) {
        return withLines(jdbc.sql("SELECT " + COLUMNS + " FROM invoice WHERE tenant_id = :tenant AND status = 'open' "
                + "ORDER BY period_start FOR UPDATE").param("tenant", tenantId).query(HEADER).list());
    }

    /** One open invoice whose period ended at or before the cutoff, locked; none while others hold them. */
    Optional<Invoice> lockNextDue(Instant cutoff) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM invoice WHERE status = 'open' AND period_end <= :cutoff "
                        + "ORDER BY period_end, invoice_id LIMIT 1 FOR UPDATE SKIP LOCKED")
                .param("cutoff", Timestamp.from(cutoff)).query(HEADER).optional()
                .map(invoice -> invoice.withLines(lines(invoice.invoiceId())));
    }

    List<InvoiceLine> lines(UUID invoiceId) {
        return jdbc.sql("SELECT operation, service, quantity, included, unit_price, amount, listed FROM invoice_line "
                + "WHERE invoice_id = :id ORDER BY operation").param("id", invoiceId).query(LINE).list();
    }

    private List<Invoice> withLines(List<Invoice> headers) {
        if (headers.isEmpty()) {
            return headers;
        }
        Map<UUID, List<InvoiceLine>> byInvoice = new LinkedHashMap<>();
        headers.forEach(h -> byInvoice.put(h.invoiceId(), new ArrayList<>()));
        jdbc.sql("SELECT invoice_id, operation, service, quantity, included, unit_price, amount, listed "
                        + "FROM invoice_line WHERE invoice_id IN (:ids) ORDER BY operation")
                .param("ids", (Collection<UUID>) byInvoice.keySet())
                .query((rs, n) -> {
                    byInvoice.get(rs.getObject("invoice_id", UUID.class)).add(LINE.mapRow(rs, n));
                    return null;
                }).list();
        return headers.stream().map(h -> h.withLines(byInvoice.get(h.invoiceId()))).toList();
    }

    /** Adds units to the operation's line (creating it); answers the line's units now. */
    long addUnits(UUID invoiceId, String operation, String service, long quantity) {
        return jdbc.sql("INSERT INTO invoice_line (invoice_id, operation, service, quantity, included, unit_price, "
                        + "amount, listed) VALUES (:id, :operation, :service, :quantity, 0, 0, 0, false) "
                        + "ON CONFLICT (invoice_id, operation) DO UPDATE SET quantity = invoice_line.quantity "
                        + "+ EXCLUDED.quantity RETURNING quantity")
                .param("id", invoiceId).param("operation", operation).param("service", service)
                .param("quantity", quantity).query(Long.class).single();
    }

    void priceLine(UUID invoiceId, Rate rate, BigDecimal amount) {
        jdbc.sql("UPDATE invoice_line SET included = :included, unit_price = :price, amount = :amount, "
                        + "listed = :listed WHERE invoice_id = :id AND operation = :operation")
                .param("id", invoiceId).param("operation", rate.operation()).param("included", rate.included())
                .param("price", rate.unitPrice()).param("amount", amount).param("listed", rate.listed()).update();
    }

    void setPlan(UUID invoiceId, String plan, BigDecimal fee) {
        jdbc.sql("UPDATE invoice SET plan = :plan, plan_fee = :fee WHERE invoice_id = :id")
                .param("id", invoiceId).param("plan", plan).param("fee", fee).update();
    }

    void finalizeInvoice(UUID invoiceId, String status, BigDecimal credits, BigDecimal due, Instant now) {
        jdbc.sql("UPDATE invoice SET status = :status, credits_applied = :credits, amount_due = :due, "
                        + "finalized_at = :now, paid_at = CASE WHEN :status = 'paid' THEN CAST(:now AS timestamptz) END "
                        + "WHERE invoice_id = :id")
                .param("id", invoiceId).param("status", status).param("credits", credits).param("due", due)
                .param("now", Timestamp.from(now)).update();
    }

    void markPaid(UUID invoiceId, Instant now) {
        jdbc.sql("UPDATE invoice SET status = 'paid', paid_at = :now WHERE invoice_id = :id AND status <> 'paid'")
                .param("id", invoiceId).param("now", Timestamp.from(now)).update();
    }

    void markPastDue(UUID invoiceId) {
        jdbc.sql("UPDATE invoice SET status = 'past_due' WHERE invoice_id = :id AND status = 'due'")
                .param("id", invoiceId).update();
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
