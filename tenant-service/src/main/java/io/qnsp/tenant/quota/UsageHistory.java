package io.qnsp.tenant.quota;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Daily samples of the tenants' quota counters: the last value seen on each UTC day. */
@Repository
public class UsageHistory {

    /** The counter's value on a day, in the window it counted in then. */
    public record Sample(LocalDate day, String window, long used) {
    }

    private final JdbcClient jdbc;

    UsageHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void record(String tenantId, String quotaType, LocalDate day, String window, long used, Instant at) {
        jdbc.sql("""
                        INSERT INTO quota_usage_sample (tenant_id, quota_type, day, quota_window, used, sampled_at)
                        VALUES (:tenant, :type, :day, :window, :used, :at)
                        ON CONFLICT (tenant_id, quota_type, day) DO UPDATE SET quota_window = EXCLUDED.quota_window,
                            used = EXCLUDED.used, sampled_at = EXCLUDED.sampled_at""")
                .param("tenant", tenantId).param("type", quotaType).param("day", Date.valueOf(day))
                .param("window", window).param("used", used).param("at", Timestamp.from(at))
                .update();
    }

    /** The tenant's samples of the quota type from {@code from} on, oldest first. */
    public List<Sample> since(String tenantId, String quotaType, LocalDate from) {
        return jdbc.sql("SELECT day, quota_window, used FROM quota_usage_sample WHERE tenant_id = :tenant "
                        + "AND quota_type = :type AND day >= :from ORDER BY day")
                .param("tenant", tenantId).param("type", quotaType).param("from", Date.valueOf(from))
                .query((rs, n) -> new Sample(rs.getDate("day").toLocalDate(), rs.getString("quota_window"),
                        rs.getLong("used"))).list();
    }

    /** Tenants with samples from {@code from} on: those the daily sampling keeps following. */
    List<String> tenantsSince(LocalDate from) {
        return jdbc.sql("SELECT DISTINCT tenant_id FROM quota_usage_sample WHERE day >= :from")
                .param("from", Date.valueOf(from)).query(String.class).list();
    }

    /** The quota types sampled for the tenant from {@code from} on. */
    List<String> typesSince(String tenantId, LocalDate from) {
        return jdbc.sql("SELECT DISTINCT quota_type FROM quota_usage_sample WHERE tenant_id = :tenant AND day >= :from")
                .param("tenant", tenantId).param("from", Date.valueOf(from)).query(String.class).list();
    }

    /** Number of the tenant's samples whose tenant is another one (for isolation audits; always 0 when sound). */
    public long countForTenant(String tenantId) {
        return jdbc.sql("SELECT count(*) FROM quota_usage_sample WHERE tenant_id = :tenant")
                .param("tenant", tenantId).query(Long.class).single();
    }
}
