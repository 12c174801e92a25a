package io.qnsp.billing.pricing;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The price book: exact prices per plan, charges rounded once, and settings that cannot make sense refused. */
class PriceBookTests {

    static PriceBookSettings.Plan plan(String fee, String discount, Map<String, BigDecimal> prices,
                                       Map<String, Long> included) {
        return new PriceBookSettings.Plan(new BigDecimal(fee), new BigDecimal(discount), prices, included);
    }

    static PriceBook book(Map<String, PriceBookSettings.Plan> plans) {
        return new PriceBook(new PriceBookSettings("USD", "free", Map.of("auth.risk_evaluation",
                new BigDecimal("0.002"), "vault.secret_version_read", new BigDecimal("0.0002"),
                "kms.escrow.recover", new BigDecimal("25")), plans));
    }

    final PriceBook prices = book(Map.of(
            "free", plan("0", "0", Map.of(), Map.of("auth.risk_evaluation", 1000L)),
            "enterprise", plan("999.00", "50", Map.of("kms.escrow.recover", new BigDecimal("9.99")),
                    Map.of())));

    @Test
    void aPlansRateIsTheDiscountedListPriceUnlessItNamesItsOwn() {
        assertThat(prices.rate("free", "auth.risk_evaluation").unitPrice()).isEqualByComparingTo("0.002");
        assertThat(prices.rate("free", "auth.risk_evaluation").included()).isEqualTo(1000);
        assertThat(prices.rate("enterprise", "auth.risk_evaluation").unitPrice()).isEqualByComparingTo("0.001");
        assertThat(prices.rate("enterprise", "vault.secret_version_read").unitPrice()).isEqualByComparingTo("0.0001");
        assertThat(prices.rate("enterprise", "kms.escrow.recover").unitPrice()).isEqualByComparingTo("9.99");
        assertThat(prices.plan("enterprise").monthlyFee()).isEqualByComparingTo("999.00");
        assertThat(prices.plan("enterprise").monthlyFee().scale()).isEqualTo(2);
    }

    @Test
    void aChargeIsTheUnitsBeyondThoseIncludedRoundedHalfUpOnce() {
        Rate rate = prices.rate("free", "auth.risk_evaluation");
        assertThat(prices.charge(rate, 999)).isEqualByComparingTo("0.00");
        assertThat(prices.charge(rate, 1000)).isEqualByComparingTo("0.00");
        assertThat(prices.charge(rate, 1002)).isEqualByComparingTo("0.00");
        assertThat(prices.charge(rate, 1003)).isEqualByComparingTo("0.01");
        assertThat(prices.charge(rate, 3333)).isEqualByComparingTo("4.67");
        // 1,000,000 reads at 0.0002: exactly 200.00, where a double would drift
        assertThat(prices.charge(prices.rate("free", "vault.secret_version_read"), 1_000_000))
                .isEqualByComparingTo("200.00");
        assertThat(prices.charge(prices.rate("free", "vault.secret_version_read"), 1_000_000).scale()).isEqualTo(2);
    }

    @Test
    void anOperationTheBookDoesNotNameCostsNothingAndAnUnknownPlanFallsBackToTheDefault() {
        Rate unknown = prices.rate("free", "search.reindex");
        assertThat(unknown.listed()).isFalse();
        assertThat(prices.charge(unknown, 1_000_000)).isEqualByComparingTo("0.00");
        assertThat(prices.plan("retired-plan").name()).isEqualTo("free");
        assertThat(prices.digits()).isEqualTo(2);
    }

    @Test
    void settingsThatCannotMakeSenseAreRefusedAtStart() {
        assertThatThrownBy(() -> new PriceBook(new PriceBookSettings("USD", "gold", Map.of(),
                Map.of("free", plan("0", "0", Map.of(), Map.of()))))).hasMessageContaining("default-plan");
        assertThatThrownBy(() -> new PriceBook(new PriceBookSettings("XYZ1", "free", Map.of(),
                Map.of("free", plan("0", "0", Map.of(), Map.of()))))).hasMessageContaining("currency");
        assertThatThrownBy(() -> book(Map.of("free", plan("9.999", "0", Map.of(), Map.of()))))
                .hasMessageContaining("monthly-fee");
        assertThatThrownBy(() -> book(Map.of("free", plan("0", "120", Map.of(), Map.of()))))
                .hasMessageContaining("discount-percent");
        assertThatThrownBy(() -> book(Map.of("free", plan("0", "0", Map.of("x", new BigDecimal("-1")), Map.of()))))
                .hasMessageContaining("unit-prices");
        assertThatThrownBy(() -> book(Map.of("free", plan("0", "0", Map.of("x", new BigDecimal("0.0000001")),
                Map.of())))).hasMessageContaining("6 decimal places");
        assertThatThrownBy(() -> book(Map.of("free", plan("0", "0", Map.of(), Map.of("x", -1L)))))
                .hasMessageContaining("included");
    }
}
