package io.qnsp.billing.payment;

import java.math.BigDecimal;
import java.util.UUID;

/** A payment was collected; published in process, in the transaction that records it. */
public record PaymentSucceeded(UUID paymentId, String tenantId, UUID invoiceId, BigDecimal amount) {
}
