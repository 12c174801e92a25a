package io.qnsp.observability.cost;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The cost allocations, each its tenant's. */
@Repository
class CostAllocations {

    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    CostAllocations(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(CostAllocation allocation) {
        jdbc.sql("INSERT INTO cost_allocation (allocation_id, tenant_id, resource_id, resource_type, cost_center, "
                        + "amount, currency, period_start, period_end, tags, recorded_by, recorded_at) VALUES (:id, "
                        + ":tenant, :resource, :type, :center, :amount, :currency, :start, :end, CAST(:tags AS jsonb), "
                        + ":by, :at)")
                .param("id", allocation.allocationId()).param("tenant", allocation.tenantId())
                .param("resource", allocation.resourceId()).param("type", allocation.resourceType())
                .param("center", allocation.costCenter()).param("amount", allocation.amount())
                .param("currency", allocation.currency())
                .param("start", Timestamp.from(allocation.periodStart()))
                .param("end", Timestamp.from(allocation.periodEnd()))
                .param("tags", json.writeValueAsString(allocation.tags())).param("by", allocation.recordedBy())
                .param("at", Timestamp.from(allocation.recordedAt())).update();
    }

    /**
     * Adds metered usage to the allocation of its tenant, operation and day, creating it with the first units: the
     * amount grows by {@code amount}, the {@code quantity} tag by {@code quantity}. Answers the allocation as it
     * now stands.
     */
    CostAllocation addUsage(CostAllocation usage, long quantity) {
        return jdbc.sql("INSERT INTO cost_allocation (allocation_id, tenant_id, resource_id, resource_type, "
                        + "cost_center, amount, currency, period_start, period_end, tags, recorded_by, recorded_at) "
                        + "VALUES (:id, :tenant, :resource, :type, :center, :amount, :currency, :start, :end, "
                        + "CAST(:tags AS jsonb), :by, :at) ON CONFLICT (allocation_id) DO UPDATE SET "
                        + "amount = cost_allocation.amount + EXCLUDED.amount, recorded_at = EXCLUDED.recorded_at, "
                        + "tags = cost_allocation.tags || jsonb_build_object('quantity', "
                        + "(coalesce((cost_allocation.tags->>'quantity')::bigint, 0) + :quantity)::text) "
                        + "RETURNING *")
                .param("id", usage.allocationId()).param("tenant", usage.tenantId())
                .param("resource", usage.resourceId()).param("type", usage.resourceType())
                .param("center", usage.costCenter()).param("amount", usage.amount())
                .param("currency", usage.currency()).param("start", Timestamp.from(usage.periodStart()))
                .param("end", Timestamp.from(usage.periodEnd()))
                .param("tags", json.writeValueAsString(usage.tags())).param("by", usage.recordedBy())
                .param("at", Timestamp.from(usage.recordedAt())).param("quantity", quantity)
                .query((rs, n) -> allocation(rs)).single();
    }

    /**
     * The tenant's allocations matching the filters (each optional), those whose period overlaps
     * [{@code from}, {@code to}), in period order, at most {@code limit}.
     */
    List<CostAllocation> matching(String tenantId, Filter filter, int limit) {
        return jdbc.sql("SELECT * FROM cost_allocation WHERE " + filter.where()
                        + " ORDER BY period_start, recorded_at, allocation_id LIMIT :limit")
                .paramSource(filter.params(tenantId).addValue("limit", limit))
                .query((rs, n) -> allocation(rs)).list();
    }

    /** The amounts of the tenant's allocations matching the filters, by cost center. */
    Map<String, BigDecimal> totalsByCostCenter(String tenantId, Filter filter) {
        Map<String, BigDecimal> totals = new LinkedHashMap<>();
        jdbc.sql("SELECT cost_center, sum(amount) AS total FROM cost_allocation WHERE " + filter.where()
                        + " GROUP BY cost_center ORDER BY cost_center")
                .paramSource(filter.params(tenantId))
                .query((rs, n) -> totals.put(rs.getString("cost_center"), rs.getBigDecimal("total"))).list();
        return totals;
    }

    /** The amounts of the tenant's allocations whose period starts in [from, to), by resource type. */
    Map<String, BigDecimal> totalsByResourceType(String tenantId, Instant from, Instant to) {
        Map<String, BigDecimal> totals = new LinkedHashMap<>();
        jdbc.sql("SELECT resource_type, sum(amount) AS total FROM cost_allocation WHERE tenant_id = :tenant "
                        + "AND period_start >= :from AND period_start < :to GROUP BY resource_type ORDER BY 1")
                .param("tenant", tenantId).param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, n) -> totals.put(rs.getString("resource_type"), rs.getBigDecimal("total"))).list();
        return totals;
    }

    /** What the tenant spent on what the budget covers in the span: allocations whose period starts in it. */
    BigDecimal spent(Budget budget, BudgetPeriod.Span span) {
        return jdbc.sql("SELECT coalesce(sum(amount), 0) FROM cost_allocation WHERE tenant_id = :tenant "
                        + "AND period_start >= :from AND period_start < :to "
                        + "AND (cardinality(CAST(:centers AS text[])) = 0 OR cost_center = ANY(CAST(:centers AS text[]))) "
                        + "AND (cardinality(CAST(:types AS text[])) = 0 OR resource_type = ANY(CAST(:types AS text[])))")
                .param("tenant", budget.tenantId()).param("from", Timestamp.from(span.start()))
                .param("to", Timestamp.from(span.end()))
                .param("centers", budget.costCenters().toArray(String[]::new))
                .param("types", budget.resourceTypes().toArray(String[]::new))
                .query(BigDecimal.class).single();
    }

    private CostAllocation allocation(ResultSet rs) throws SQLException {
        return new CostAllocation(rs.getObject("allocation_id", UUID.class), rs.getString("tenant_id"),
                rs.getString("resource_id"), rs.getString("resource_type"), rs.getString("cost_center"),
                rs.getBigDecimal("amount").stripTrailingZeros(), rs.getString("currency"),
                rs.getTimestamp("period_start").toInstant(), rs.getTimestamp("period_end").toInstant(),
                json.readValue(rs.getString("tags"), TAGS), rs.getString("recorded_by"),
                rs.getTimestamp("recorded_at").toInstant());
    }

    /** Which allocations a query asks for; every part optional. */
    record Filter(@Nullable String costCenter, @Nullable String resourceType, @Nullable Instant from,
                  @Nullable Instant to) {

        static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
        static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

        String where() {
            return "tenant_id = :tenant AND (CAST(:center AS varchar) IS NULL OR cost_center = :center) "
                    + "AND (CAST(:type AS varchar) IS NULL OR resource_type = :type) "
                    + "AND period_end > :from AND period_start < :to";
        }

        MapSqlParameterSource params(String tenantId) {
            return new MapSqlParameterSource().addValue("tenant", tenantId).addValue("center", costCenter)
                    .addValue("type", resourceType)
                    .addValue("from", Timestamp.from(from == null ? EARLIEST : from))
                    .addValue("to", Timestamp.from(to == null ? LATEST : to));
        }
    }
}
