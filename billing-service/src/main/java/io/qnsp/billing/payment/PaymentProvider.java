package io.qnsp.billing.payment;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * Where money is collected. billing-service brings one implementation, {@link TestModePaymentProvider}, which moves
 * no money; a real processor is another implementation of this interface, selected by
 * {@code qnsp.billing.payments.provider}.
 */
public interface PaymentProvider {

    /** The provider's name, stored with every payment it handles. */
    String name();

    /** Whether no money moves (shown with every payment and in every answer that names the provider). */
    boolean testMode();

    /** What is wrong with the payment method for this provider, or {@code null} when it can be charged. */
    @Nullable String problemWith(String paymentMethod);

    /**
     * Charges the amount. Calls for one payment carry the same {@code idempotencyKey}, so a provider that supports it
     * never charges a payment twice when an answer was lost.
     */
    ChargeResult charge(Charge charge);

    /** One request to collect money. */
    record Charge(UUID idempotencyKey, String tenantId, BigDecimal amount, String currency, String paymentMethod,
                  String description) {
    }

    /**
     * The provider's answer.
     *
     * @param code      the provider's reason for a failure, e.g. {@code card_declined}; {@code null} on success
     * @param reference the provider's id of the charge, when it made one
     */
    record ChargeResult(Outcome outcome, @Nullable String code, String message, @Nullable String reference) {
    }

    enum Outcome {
        /** the money was collected */
        SUCCEEDED,
        /** the payment method was refused; trying again later may or may not help */
        DECLINED,
        /** the provider could not decide (network, outage): retried sooner than a decline */
        TRANSIENT_FAILURE
    }
}
