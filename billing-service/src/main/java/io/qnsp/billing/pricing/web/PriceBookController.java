package io.qnsp.billing.pricing.web;

import io.qnsp.billing.BillingScopes;
import io.qnsp.billing.pricing.PriceBook;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.util.List;

/** The price book usage is rated by: readable by every tenant, since it is what they are charged. */
@Tag(name = "Price book")
@RestController
class PriceBookController {

    record RateView(String operation,
                    @Schema(description = "per unit beyond the included ones, in the price book's currency")
                    BigDecimal unitPrice,
                    @Schema(description = "units included every billing period") long included,
                    @Schema(description = "the list price before the plan's discount or own price")
                    @Nullable BigDecimal listPrice) {
    }

    record PlanView(String name, BigDecimal monthlyFee,
                    @Schema(description = "taken off every list price, in percent") BigDecimal discountPercent,
                    List<RateView> rates) {
    }

    record PriceBookView(String currency,
                         @Schema(description = "the plan of a tenant no operator assigned one") String defaultPlan,
                         List<PlanView> plans) {
    }

    private final PriceBook prices;

    PriceBookController(PriceBook prices) {
        this.prices = prices;
    }

    @Operation(summary = "Get the price book", operationId = "getPriceBook",
            description = "Every plan with its monthly fee and, per billable operation, the unit price and the units "
                    + "included each billing period. Amounts are exact decimals in the currency given. Needs "
                    + "billing:read.")
    @GetMapping("/billing/v1/price-book")
    @RequiredControls(scopes = BillingScopes.READ)
    PriceBookView priceBook(Caller caller) {
        return new PriceBookView(prices.currency(), prices.defaultPlan(), prices.plans().values().stream()
                .map(plan -> new PlanView(plan.name(), plan.monthlyFee(), PriceBook.normalize(plan.discountPercent()),
                        plan.rates().values().stream().map(rate -> new RateView(rate.operation(), rate.unitPrice(),
                                rate.included(), prices.listPrice(rate.operation()).map(PriceBook::normalize)
                                .orElse(null))).toList()))
                .toList());
    }
}
