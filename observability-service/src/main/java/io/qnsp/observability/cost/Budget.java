package io.qnsp.observability.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A spending limit per calendar period over the tenant's allocations in scope.
 *
 * @param costCenters   the cost centers it covers; empty for all
 * @param resourceTypes the resource types it covers; empty for all
 * @param alerts        the percentages of the amount whose crossing is an alert, lowest first
 */
public record Budget(UUID budgetId, String tenantId, String name, BigDecimal amount, String currency,
                     BudgetPeriod period, List<String> costCenters, List<String> resourceTypes, List<Alert> alerts,
                     String createdBy, Instant createdAt) {

    /** One alert threshold, in percent of the budget's amount, and where to say it was crossed. */
    public record Alert(BigDecimal threshold, List<String> notificationChannels) {
    }

    /** Whether an allocation of this cost center and resource type counts against the budget. */
    public boolean covers(String costCenter, String resourceType) {
        return (costCenters.isEmpty() || costCenters.contains(costCenter))
                && (resourceTypes.isEmpty() || resourceTypes.contains(resourceType));
    }
}
