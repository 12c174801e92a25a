package io.qnsp.billing.usage;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Usage as stored: each event once by its id, and the units per tenant, operation and UTC day. */
@Repository
public class UsageHistory {

    private final JdbcClient jdbc;

    UsageHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean known(UUID eventId) {
        return jdbc.sql("SELECT count(*) FROM usage_event WHERE event_id = :id").param("id", eventId)
                .query(Long.class).single() > 0;
    }

    void insert(UUID eventId, String tenantId, String operation, String service, long quantity, Instant occurredAt,
                String principal, String requestId, UUID invoiceId, Instant receivedAt) {
        jdbc.sql("INSERT INTO usage_event (event_id, tenant_id, operation, service, quantity, occurred_at, principal, "
                        + "request_id, invoice_id, received_at) VALUES (:id, :tenant, :operation, :service, :quantity, "
                        + ":occurredAt, :principal, :requestId, :invoice, :receivedAt)")
                .param("id", eventId).param("tenant", tenantId).param("operation", operation)
                .param("service", service).param("quantity", quantity)
                .param("occurredAt", Timestamp.from(occurredAt)).param("principal", principal)
                .param("requestId", requestId).param("invoice", invoiceId)
                .param("receivedAt", Timestamp.from(receivedAt)).update();
        jdbc.sql("INSERT INTO usage_daily (tenant_id, operation, day, quantity) VALUES (:tenant, :operation, :day, "
                        + ":quantity) ON CONFLICT (tenant_id, operation, day) DO UPDATE SET quantity = "
                        + "usage_daily.quantity + EXCLUDED.quantity")
                .param("tenant", tenantId).param("operation", operation)
                .param("day", LocalDate.ofInstant(occurredAt, ZoneOffset.UTC)).param("quantity", quantity).update();
    }

    /** Units per operation and day from {@code from} up to (not including) {@code until}; days without any absent. */
    public Map<String, TreeMap<LocalDate, Long>> daily(String tenantId, LocalDate from, LocalDate until) {
        Map<String, TreeMap<LocalDate, Long>> series = new LinkedHashMap<>();
        jdbc.sql("SELECT operation, day, quantity FROM usage_daily WHERE tenant_id = :tenant AND day >= :from "
                        + "AND day < :until ORDER BY operation, day")
                .param("tenant", tenantId).param("from", from).param("until", until)
                .query((rs, n) -> {
                    series.computeIfAbsent(rs.getString("operation"), o -> new TreeMap<>())
                            .put(rs.getObject("day", LocalDate.class), rs.getLong("quantity"));
                    return null;
                }).list();
        return series;
    }

    /** The first day each operation of the tenant was used, among operations used since {@code since}. */
    public Map<String, LocalDate> firstUse(String tenantId, LocalDate since) {
        Map<String, LocalDate> first = new LinkedHashMap<>();
        jdbc.sql("SELECT operation, min(day) AS first_day FROM usage_daily WHERE tenant_id = :tenant GROUP BY operation "
                        + "HAVING max(day) >= :since ORDER BY operation")
                .param("tenant", tenantId).param("since", since)
                .query((rs, n) -> first.put(rs.getString("operation"), rs.getObject("first_day", LocalDate.class)))
                .list();
        return first;
    }

    /** Deletes events received before the instant, in small batches; the daily totals stay. */
    int pruneEvents(Instant before) {
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.sql("DELETE FROM usage_event WHERE event_id IN (SELECT event_id FROM usage_event "
                    + "WHERE received_at < :before LIMIT 10000)").param("before", Timestamp.from(before)).update();
            total += deleted;
        } while (deleted == 10000);
        return total;
    }
}
