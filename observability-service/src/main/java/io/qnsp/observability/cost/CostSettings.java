package io.qnsp.observability.cost;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Settings of cost allocation.
 *
 * @param currency            the ISO 4217 code every stored amount is in: the price book's (billing-service), so that
 *                            totals add up
 * @param stableChangePercent a period's total within this percentage of the previous period's reads as stable
 * @param unitPrices          list price of one unit of each billable operation: billing-service's price book
 *                            ({@code qnsp.billing.price-book.unit-prices}), which a build test keeps these in step with
 * @param usageCostCenter     the cost center the platform's own metered usage is allocated to
 */
@ConfigurationProperties("qnsp.observability.costs")
public record CostSettings(@DefaultValue("USD") String currency,
                           @DefaultValue("1") BigDecimal stableChangePercent,
                           @DefaultValue Map<String, BigDecimal> unitPrices,
                           @DefaultValue("platform-usage") String usageCostCenter) {
}
