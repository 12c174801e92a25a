package io.qnsp.billing.dunning;

import io.qnsp.common.events.OutboxEvent;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A dunning step asks for an email or SMS to the tenant about its failed payment; published on the
 * {@code billing-notices} stream for whatever delivers the platform's notices.
 */
public record DunningNoticeRequested(UUID eventId, Instant occurredAt, String tenantId, String channel,
                                     @Nullable String template, UUID paymentId, UUID invoiceId, BigDecimal amount,
                                     String currency, int dayAfterFailure, String service) implements OutboxEvent {

    public static final String STREAM = "billing-notices";

    @Override
    public String stream() {
        return STREAM;
    }
}
