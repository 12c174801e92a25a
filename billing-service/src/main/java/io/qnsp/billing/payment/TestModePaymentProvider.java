package io.qnsp.billing.payment;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.UUID;

/**
 * TEST MODE: moves no money. As card processors' test modes do, the outcome depends only on the payment method, from
 * a documented set: {@code pm_test_succeeds} succeeds; {@code pm_test_declined}, {@code pm_test_insufficient_funds}
 * and {@code pm_test_expired_card} are declined with that reason; {@code pm_test_processing_error} fails
 * transiently. Any other method is refused when it is set, and declined as {@code unknown_payment_method} should one
 * be stored from another provider.
 */
public final class TestModePaymentProvider implements PaymentProvider {

    public static final String NAME = "test";

    /** Every test method with the outcome and reason it produces. */
    public static final Map<String, ChargeResult> METHODS = Map.of(
            "pm_test_succeeds", new ChargeResult(Outcome.SUCCEEDED, null, "Test mode: the charge succeeded", null),
            "pm_test_declined", new ChargeResult(Outcome.DECLINED, "card_declined",
                    "Test mode: the card was declined", null),
            "pm_test_insufficient_funds", new ChargeResult(Outcome.DECLINED, "insufficient_funds",
                    "Test mode: the card has insufficient funds", null),
            "pm_test_expired_card", new ChargeResult(Outcome.DECLINED, "expired_card",
                    "Test mode: the card has expired", null),
            "pm_test_processing_error", new ChargeResult(Outcome.TRANSIENT_FAILURE, "processing_error",
                    "Test mode: the processor could not complete the charge; try again", null));

    private static final Logger log = LoggerFactory.getLogger(TestModePaymentProvider.class);

    TestModePaymentProvider() {
        log.warn("Payments run in TEST MODE (qnsp.billing.payments.provider=test): no money moves; outcomes follow "
                + "the test payment methods {}", METHODS.keySet().stream().sorted().toList());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean testMode() {
        return true;
    }

    @Override
    public @Nullable String problemWith(String paymentMethod) {
        return METHODS.containsKey(paymentMethod) ? null : "must be a test-mode payment method: one of "
                + METHODS.keySet().stream().sorted().toList();
    }

    @Override
    public ChargeResult charge(Charge charge) {
        ChargeResult scripted = METHODS.get(charge.paymentMethod());
        if (scripted == null) {
            return new ChargeResult(Outcome.DECLINED, "unknown_payment_method",
                    "Test mode: not a test payment method", null);
        }
        // a decline still gets a reference, as processors give one to every attempt
        return new ChargeResult(scripted.outcome(), scripted.code(), scripted.message(),
                "test_ch_" + UUID.randomUUID().toString().replace("-", ""));
    }
}
