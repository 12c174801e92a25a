package io.qnsp.billing.pricing;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The price book as configured: one currency, list prices per billable operation, and plans that add a monthly fee,
 * a discount on the list prices, their own prices for some operations and units included every month.
 *
 * @param currency    ISO 4217 code every amount is in
 * @param defaultPlan the plan of a tenant no operator assigned one
 * @param unitPrices  list price of one unit of each billable operation
 * @param plans       the plans by name
 */
@Validated
@ConfigurationProperties("qnsp.billing.price-book")
public record PriceBookSettings(@DefaultValue("USD") @NotBlank String currency,
                                @DefaultValue("free") @NotBlank String defaultPlan,
                                @DefaultValue Map<String, BigDecimal> unitPrices,
                                @DefaultValue Map<String, @Valid Plan> plans) {

    /**
     * One plan.
     *
     * @param monthlyFee      charged once per billing period
     * @param discountPercent taken off every list price (0 to 100)
     * @param unitPrices      the plan's own price of some operations, instead of the discounted list price
     * @param included        units of an operation included every period before any is charged
     */
    public record Plan(@DefaultValue("0") BigDecimal monthlyFee,
                       @DefaultValue("0") BigDecimal discountPercent,
                       @DefaultValue Map<String, BigDecimal> unitPrices,
                       @DefaultValue Map<String, Long> included) {
    }
}
