package io.qnsp.observability.cost;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A budget's alert threshold crossed in one of its periods: what was spent by then, and when it happened. */
public record BudgetAlert(UUID alertId, String tenantId, UUID budgetId, String budgetName, BigDecimal threshold,
                          Instant periodStart, Instant periodEnd, BigDecimal spent, BigDecimal budgetAmount,
                          Instant breachedAt) {
}
