package io.qnsp.billing.account;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/** The stored accounts, one per tenant. */
@Repository
class Accounts {

    private static final String COLUMNS = "tenant_id, plan, status, status_reason, status_changed_at, payment_method, "
            + "created_at, updated_at";

    private static final RowMapper<Account> ROW = (rs, n) -> new Account(rs.getString("tenant_id"),
            rs.getString("plan"), rs.getString("status"), rs.getString("status_reason"),
            instant(rs.getTimestamp("status_changed_at")), rs.getString("payment_method"),
            rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());

    private final JdbcClient jdbc;

    Accounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates the account with the plan given unless it exists. */
    void insertIfAbsent(String tenantId, String plan, Instant now) {
        jdbc.sql("INSERT INTO account (tenant_id, plan, status, created_at, updated_at) "
                        + "VALUES (:tenant, :plan, 'active', :now, :now) ON CONFLICT (tenant_id) DO NOTHING")
                .param("tenant", tenantId).param("plan", plan).param("now", Timestamp.from(now)).update();
    }

    Optional<Account> find(String tenantId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM account WHERE tenant_id = :tenant").param("tenant", tenantId)
                .query(ROW).optional();
    }

    Optional<Account> findForUpdate(String tenantId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM account WHERE tenant_id = :tenant FOR UPDATE")
                .param("tenant", tenantId).query(ROW).optional();
    }

    void updatePlan(String tenantId, String plan, Instant now) {
        jdbc.sql("UPDATE account SET plan = :plan, updated_at = :now WHERE tenant_id = :tenant")
                .param("tenant", tenantId).param("plan", plan).param("now", Timestamp.from(now)).update();
    }

    void updatePaymentMethod(String tenantId, String paymentMethod, Instant now) {
        jdbc.sql("UPDATE account SET payment_method = :method, updated_at = :now WHERE tenant_id = :tenant")
                .param("tenant", tenantId).param("method", paymentMethod).param("now", Timestamp.from(now)).update();
    }

    void updateStatus(String tenantId, String status, String reason, Instant now) {
        jdbc.sql("UPDATE account SET status = :status, status_reason = :reason, status_changed_at = :now, "
                        + "updated_at = :now WHERE tenant_id = :tenant")
                .param("tenant", tenantId).param("status", status).param("reason", reason)
                .param("now", Timestamp.from(now)).update();
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
