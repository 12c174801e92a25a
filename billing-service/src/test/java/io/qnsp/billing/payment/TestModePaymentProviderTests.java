package io.qnsp.billing.payment;

import io.qnsp.billing.payment.PaymentProvider.Charge;
import io.qnsp.billing.payment.PaymentProvider.Outcome;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in provider's test mode: the outcome follows the payment method, as processors' test cards do. */
class TestModePaymentProviderTests {

    final TestModePaymentProvider provider = new TestModePaymentProvider();

    private PaymentProvider.ChargeResult charge(String method) {
        return provider.charge(new Charge(UUID.randomUUID(), "tenant-1", new BigDecimal("12.34"), "USD", method,
                "test"));
    }

    @Test
    void eachTestMethodHasItsDocumentedOutcome() {
        assertThat(charge("pm_test_succeeds").outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(charge("pm_test_declined").code()).isEqualTo("card_declined");
        assertThat(charge("pm_test_insufficient_funds").code()).isEqualTo("insufficient_funds");
        assertThat(charge("pm_test_expired_card").outcome()).isEqualTo(Outcome.DECLINED);
        assertThat(charge("pm_test_processing_error").outcome()).isEqualTo(Outcome.TRANSIENT_FAILURE);
        assertThat(charge("pm_test_succeeds").reference()).startsWith("test_ch_");
        assertThat(charge("pm_live_card").code()).isEqualTo("unknown_payment_method");
    }

    @Test
    void itSaysItIsATestModeAndAcceptsOnlyItsTestMethods() {
        assertThat(provider.testMode()).isTrue();
        assertThat(provider.name()).isEqualTo("test");
        assertThat(provider.problemWith("pm_test_declined")).isNull();
        assertThat(provider.problemWith("4242424242424242")).contains("test-mode payment method");
    }
}
