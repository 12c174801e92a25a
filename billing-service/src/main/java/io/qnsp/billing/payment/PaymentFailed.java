package io.qnsp.billing.payment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A payment failed for the first time: dunning starts. Published in process, in the recording transaction. */
public record PaymentFailed(UUID paymentId, String tenantId, UUID invoiceId, BigDecimal amount, Instant failedAt) {
}
