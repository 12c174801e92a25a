package io.qnsp.observability.cost;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.math.BigDecimal;

/**
 * Settings of cost allocation.
 *
 * @param currency            the ISO 4217 code every stored amount is in: the price book's (billing-service), so that
 *                            totals add up
 * @param stableChangePercent a period's total within this percentage of the previous period's reads as stable
 */
@ConfigurationProperties("qnsp.observability.costs")
public record CostSettings(@DefaultValue("USD") String currency,
                           @DefaultValue("1") BigDecimal stableChangePercent) {
}
