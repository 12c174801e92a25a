package io.qnsp.billing.payment;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The stored payments and their attempts. */
@Repository
class Payments {

    private static final String COLUMNS = "payment_id, tenant_id, invoice_id, amount, currency, provider, status, "
            + "created_at, failed_at, last_attempt_at, last_failure_code, retry_count, automatic_retries, "
            + "transient_streak, next_retry_at, retries_stopped, succeeded_at";

    private static final RowMapper<Payment> ROW = (rs, n) -> new Payment(rs.getObject("payment_id", UUID.class),
            rs.getString("tenant_id"), rs.getObject("invoice_id", UUID.class), rs.getBigDecimal("amount"),
            rs.getString("currency").strip(), rs.getString("provider"), rs.getString("status"),
            rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("failed_at")),
            instant(rs.getTimestamp("last_attempt_at")), rs.getString("last_failure_code"), rs.getInt("retry_count"),
            rs.getInt("automatic_retries"), rs.getInt("transient_streak"), instant(rs.getTimestamp("next_retry_at")),
            rs.getBoolean("retries_stopped"), instant(rs.getTimestamp("succeeded_at")));

    private static final RowMapper<PaymentAttempt> ATTEMPT = (rs, n) -> new PaymentAttempt(
            rs.getObject("payment_id", UUID.class), rs.getInt("attempt_no"), rs.getTimestamp("attempted_at").toInstant(),
            rs.getString("trigger"), rs.getString("payment_method"), rs.getString("outcome"), rs.getString("code"),
            rs.getString("message"), rs.getString("provider_reference"));

    private final JdbcClient jdbc;

    Payments(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(UUID paymentId, String tenantId, UUID invoiceId, BigDecimal amount, String currency, String provider,
                Instant now) {
        jdbc.sql("INSERT INTO payment (payment_id, tenant_id, invoice_id, amount, currency, provider, status, "
                        + "created_at) VALUES (:id, :tenant, :invoice, :amount, :currency, :provider, 'pending', :now)")
                .param("id", paymentId).param("tenant", tenantId).param("invoice", invoiceId).param("amount", amount)
                .param("currency", currency).param("provider", provider).param("now", Timestamp.from(now)).update();
    }

    Optional<Payment> find(UUID paymentId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payment WHERE payment_id = :id").param("id", paymentId)
                .query(ROW).optional();
    }

    Optional<Payment> findByInvoice(UUID invoiceId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payment WHERE invoice_id = :id").param("id", invoiceId)
                .query(ROW).optional();
    }

    /** The payment locked for an attempt; empty when another attempt holds it (or it does not exist). */
    Optional<Payment> lockUnlessBusy(UUID paymentId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payment WHERE payment_id = :id FOR UPDATE SKIP LOCKED")
                .param("id", paymentId).query(ROW).optional();
    }

    /** Payments to attempt now: never attempted, or failed with a retry due. */
    List<UUID> due(Instant now, int limit) {
        return jdbc.sql("SELECT payment_id FROM payment WHERE status = 'pending' OR (status = 'failed' "
                        + "AND NOT retries_stopped AND next_retry_at <= :now) "
                        + "ORDER BY coalesce(next_retry_at, created_at), payment_id LIMIT :limit")
                .param("now", Timestamp.from(now)).param("limit", limit).query(UUID.class).list();
    }

    List<Payment> failed(@Nullable String tenantId, int limit, int offset) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payment WHERE status = 'failed' "
                        + "AND (CAST(:tenant AS text) IS NULL OR tenant_id = :tenant) "
                        + "ORDER BY failed_at DESC, payment_id LIMIT :limit OFFSET :offset")
                .param("tenant", tenantId).param("limit", limit).param("offset", offset).query(ROW).list();
    }

    long countFailed(@Nullable String tenantId) {
        return jdbc.sql("SELECT count(*) FROM payment WHERE status = 'failed' "
                        + "AND (CAST(:tenant AS text) IS NULL OR tenant_id = :tenant)")
                .param("tenant", tenantId).query(Long.class).single();
    }

    List<PaymentAttempt> attempts(Collection<UUID> paymentIds) {
        if (paymentIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT payment_id, attempt_no, attempted_at, trigger, payment_method, outcome, code, message, "
                        + "provider_reference FROM payment_attempt WHERE payment_id IN (:ids) "
                        + "ORDER BY payment_id, attempt_no")
                .param("ids", paymentIds).query(ATTEMPT).list();
    }

    int insertAttempt(UUID paymentId, Instant at, String trigger, @Nullable String method, String outcome,
                      @Nullable String code, String message, @Nullable String reference) {
        return jdbc.sql("INSERT INTO payment_attempt (payment_id, attempt_no, attempted_at, trigger, payment_method, "
                        + "outcome, code, message, provider_reference) SELECT :id, coalesce(max(attempt_no), 0) + 1, "
                        + ":at, :trigger, :method, :outcome, :code, :message, :reference FROM payment_attempt "
                        + "WHERE payment_id = :id RETURNING attempt_no")
                .param("id", paymentId).param("at", Timestamp.from(at)).param("trigger", trigger)
                .param("method", method).param("outcome", outcome).param("code", code)
                .param("message", cut(message, 500)).param("reference", reference).query(Integer.class).single();
    }

    void markSucceeded(UUID paymentId, Instant now, int retryCount, int automaticRetries) {
        jdbc.sql("UPDATE payment SET status = 'succeeded', succeeded_at = :now, last_attempt_at = :now, "
                        + "retry_count = :retries, automatic_retries = :automatic, transient_streak = 0, "
                        + "next_retry_at = NULL WHERE payment_id = :id")
                .param("id", paymentId).param("now", Timestamp.from(now)).param("retries", retryCount)
                .param("automatic", automaticRetries).update();
    }

    void markFailed(UUID paymentId, Instant failedAt, Instant now, @Nullable String code, int retryCount,
                    int automaticRetries, int transientStreak, @Nullable Instant nextRetryAt) {
        jdbc.sql("UPDATE payment SET status = 'failed', failed_at = :failedAt, last_attempt_at = :now, "
                        + "last_failure_code = :code, retry_count = :retries, automatic_retries = :automatic, "
                        + "transient_streak = :streak, next_retry_at = :next WHERE payment_id = :id")
                .param("id", paymentId).param("failedAt", Timestamp.from(failedAt)).param("now", Timestamp.from(now))
                .param("code", code).param("retries", retryCount).param("automatic", automaticRetries)
                .param("streak", transientStreak).param("next", nextRetryAt == null ? null : Timestamp.from(nextRetryAt))
                .update();
    }

    void stopRetries(UUID paymentId) {
        jdbc.sql("UPDATE payment SET retries_stopped = true, next_retry_at = NULL WHERE payment_id = :id")
                .param("id", paymentId).update();
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
