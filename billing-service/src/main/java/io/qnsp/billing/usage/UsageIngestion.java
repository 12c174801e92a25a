package io.qnsp.billing.usage;

import io.qnsp.billing.invoice.InvoiceSettings;
import io.qnsp.billing.invoice.Invoicing;
import io.qnsp.common.events.EventStreamListener;
import io.qnsp.common.events.UsageEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Consumes the {@code usage} stream every metered endpoint of the platform publishes to (common-lib's
 * {@code @RequiredControls(metering = …)}): each event is stored once by its id and rated into the tenant's invoice,
 * in the transaction in which common-lib records the id as consumed; the message is acknowledged after it commits.
 */
@Component
public class UsageIngestion {

    static final String GROUP = "billing-service";
    static final int MAX_NAME = 200;

    private static final Logger log = LoggerFactory.getLogger(UsageIngestion.class);

    private final UsageHistory history;
    private final Invoicing invoicing;
    private final InvoiceSettings settings;
    private final Clock clock;

    UsageIngestion(UsageHistory history, Invoicing invoicing, InvoiceSettings settings, Clock clock) {
        this.history = history;
        this.invoicing = invoicing;
        this.settings = settings;
        this.clock = clock;
    }

    /** The subscription to the {@code usage} stream, under billing-service's consumer group. */
    @Configuration(proxyBeanMethods = false)
    static class Subscription {

        @Bean
        EventStreamListener<UsageEvent> usageEvents(UsageIngestion ingestion) {
            return new EventStreamListener<>(UsageEvent.STREAM, GROUP, UsageEvent.class, ingestion::ingest);
        }
    }

    /** Stores and rates one usage event; an event billed already (by its id) changes nothing. */
    public void ingest(UsageEvent event) {
        if (event.eventId() == null || event.tenantId() == null || event.tenantId().isBlank()
                || event.operation() == null || event.operation().isBlank() || event.quantity() <= 0) {
            // an operator's own call (no tenant) or a malformed event: nothing anyone can be billed for
            log.debug("Usage event {} is not billable (tenant {}, operation {}, quantity {})", event.eventId(),
                    event.tenantId(), event.operation(), event.quantity());
            return;
        }
        if (history.known(event.eventId())) {
            return;
        }
        String tenant = cut(event.tenantId());
        String operation = cut(event.operation());
        String service = event.service() == null || event.service().isBlank() ? serviceOf(operation)
                : cut(event.service());
        Instant received = clock.instant();
        Instant occurredAt = event.occurredAt() == null ? received : event.occurredAt();
        UUID invoiceId = invoicing.rate(tenant, operation, service, event.quantity(), occurredAt);
        history.insert(event.eventId(), tenant, operation, service, event.quantity(), occurredAt,
                event.principal() == null ? null : cut(event.principal()), event.requestId() == null ? null
                        : cut(event.requestId()), invoiceId, received);
    }

    /** Deletes rated events older than the retention; the invoices and daily totals keep what they counted. */
    @Scheduled(fixedDelayString = "PT6H", initialDelayString = "PT10M")
    public int pruneEvents() {
        return history.pruneEvents(clock.instant().minus(settings.usageRetention()));
    }

    /** {@code auth.risk_evaluation} was published by {@code auth-service}. */
    static String serviceOf(String operation) {
        int dot = operation.indexOf('.');
        return (dot > 0 ? operation.substring(0, dot) : operation) + "-service";
    }

    private static String cut(String text) {
        return text.length() <= MAX_NAME ? text : text.substring(0, MAX_NAME);
    }
}
