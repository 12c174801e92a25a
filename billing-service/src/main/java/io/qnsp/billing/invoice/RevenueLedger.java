package io.qnsp.billing.invoice;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sums over the invoices of a billing period, of one tenant or of all: what revenue figures are made of. */
@Repository
public class RevenueLedger {

    /**
     * @param fees     plan fees
     * @param usage    usage charges
     * @param credits  credits applied (at finalization)
     * @param invoices invoices of the period
     * @param open     of them, those still open (their figures are to date)
     */
    public record Totals(BigDecimal fees, BigDecimal usage, BigDecimal credits, long invoices, long open) {

        /** Fees and usage: what was charged before credits. */
        public BigDecimal gross() {
            return fees.add(usage);
        }
    }

    private final JdbcClient jdbc;

    RevenueLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Totals totals(@Nullable String tenantId, BillingPeriod period) {
        return jdbc.sql("SELECT coalesce(sum(i.plan_fee), 0) AS fees, coalesce(sum(l.usage), 0) AS usage, "
                        + "coalesce(sum(i.credits_applied), 0) AS credits, count(*) AS invoices, "
                        + "count(*) FILTER (WHERE i.status = 'open') AS open FROM invoice i "
                        + "LEFT JOIN (SELECT invoice_id, sum(amount) AS usage FROM invoice_line GROUP BY invoice_id) l "
                        + "ON l.invoice_id = i.invoice_id WHERE i.period_start = :start "
                        + "AND (CAST(:tenant AS text) IS NULL OR i.tenant_id = :tenant)")
                .param("start", Timestamp.from(period.start())).param("tenant", tenantId)
                .query((rs, n) -> new Totals(rs.getBigDecimal("fees"), rs.getBigDecimal("usage"),
                        rs.getBigDecimal("credits"), rs.getLong("invoices"), rs.getLong("open")))
                .single();
    }

    /** Usage charges of the period by the service that metered them, largest first. */
    public Map<String, BigDecimal> usageByService(@Nullable String tenantId, BillingPeriod period) {
        Map<String, BigDecimal> byService = new LinkedHashMap<>();
        jdbc.sql("SELECT l.service, sum(l.amount) AS revenue FROM invoice_line l JOIN invoice i "
                        + "ON i.invoice_id = l.invoice_id WHERE i.period_start = :start "
                        + "AND (CAST(:tenant AS text) IS NULL OR i.tenant_id = :tenant) GROUP BY l.service "
                        + "ORDER BY revenue DESC, l.service")
                .param("start", Timestamp.from(period.start())).param("tenant", tenantId)
                .query((rs, n) -> byService.put(rs.getString("service"), rs.getBigDecimal("revenue"))).list();
        return byService;
    }
}
