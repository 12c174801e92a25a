package io.qnsp.billing.credit;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The stored credits and where they were applied. */
@Repository
class Credits {

    private static final String COLUMNS = "credit_id, tenant_id, type, amount, remaining, currency, expires_at, reason, "
            + "promotion_id, created_at, created_by";

    // Oldest-expiring first; credits that never expire last; among equals, the oldest first.
    private static final String SPENDING_ORDER = " ORDER BY expires_at ASC NULLS LAST, created_at, credit_id";

    private static final RowMapper<Credit> ROW = (rs, n) -> new Credit(rs.getObject("credit_id", UUID.class),
            rs.getString("tenant_id"), rs.getString("type"), rs.getBigDecimal("amount"), rs.getBigDecimal("remaining"),
            rs.getString("currency").strip(), instant(rs.getTimestamp("expires_at")), rs.getString("reason"),
            rs.getObject("promotion_id", UUID.class), rs.getTimestamp("created_at").toInstant(),
            rs.getString("created_by"));

    private final JdbcClient jdbc;

    Credits(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Credit credit) {
        jdbc.sql("INSERT INTO credit (" + COLUMNS + ") VALUES (:id, :tenant, :type, :amount, :amount, :currency, "
                        + ":expiresAt, :reason, :promotion, :createdAt, :createdBy)")
                .param("id", credit.creditId()).param("tenant", credit.tenantId()).param("type", credit.type())
                .param("amount", credit.amount()).param("currency", credit.currency())
                .param("expiresAt", credit.expiresAt() == null ? null : Timestamp.from(credit.expiresAt()))
                .param("reason", credit.reason()).param("promotion", credit.promotionId())
                .param("createdAt", Timestamp.from(credit.createdAt())).param("createdBy", credit.createdBy())
                .update();
    }

    /** Credits with something left that have not expired at {@code now}, in the order they are spent. */
    List<Credit> usable(String tenantId, Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM credit WHERE tenant_id = :tenant AND remaining > 0 "
                        + "AND (expires_at IS NULL OR expires_at > :now)" + SPENDING_ORDER)
                .param("tenant", tenantId).param("now", Timestamp.from(now)).query(ROW).list();
    }

    List<Credit> usableForUpdate(String tenantId, Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM credit WHERE tenant_id = :tenant AND remaining > 0 "
                        + "AND (expires_at IS NULL OR expires_at > :now)" + SPENDING_ORDER + " FOR UPDATE")
                .param("tenant", tenantId).param("now", Timestamp.from(now)).query(ROW).list();
    }

    void spend(UUID creditId, UUID invoiceId, BigDecimal amount, Instant now) {
        jdbc.sql("UPDATE credit SET remaining = remaining - :amount WHERE credit_id = :id")
                .param("id", creditId).param("amount", amount).update();
        jdbc.sql("INSERT INTO credit_application (credit_id, invoice_id, amount, applied_at) "
                        + "VALUES (:credit, :invoice, :amount, :now)")
                .param("credit", creditId).param("invoice", invoiceId).param("amount", amount)
                .param("now", Timestamp.from(now)).update();
    }

    /** What each credit gave to the invoice. */
    List<CreditManagement.Applied> applications(UUID invoiceId) {
        return jdbc.sql("SELECT a.credit_id, c.type, a.amount, a.applied_at FROM credit_application a "
                        + "JOIN credit c ON c.credit_id = a.credit_id WHERE a.invoice_id = :invoice "
                        + "ORDER BY a.applied_at, c.expires_at ASC NULLS LAST, c.created_at")
                .param("invoice", invoiceId)
                .query((rs, n) -> new CreditManagement.Applied(rs.getObject("credit_id", UUID.class),
                        rs.getString("type"), rs.getBigDecimal("amount"), rs.getTimestamp("applied_at").toInstant()))
                .list();
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
