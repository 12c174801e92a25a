package io.qnsp.billing.invoice;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of invoicing.
 *
 * @param finalizationGrace    how long after a period ended its invoices stay open for usage still on its way
 * @param finalizationInterval how often ended periods' invoices are finalized and charged
 * @param usageRetention       how long each rated usage event is kept by id (the daily totals forecasts read stay)
 */
@Validated
@ConfigurationProperties("qnsp.billing.invoices")
public record InvoiceSettings(@DefaultValue("1h") Duration finalizationGrace,
                              @DefaultValue("1m") Duration finalizationInterval,
                              @DefaultValue("400d") Duration usageRetention) {

    public InvoiceSettings {
        if (finalizationGrace.isNegative()) {
            throw new IllegalArgumentException("qnsp.billing.invoices.finalization-grace must not be negative");
        }
        if (usageRetention.compareTo(Duration.ofDays(62)) < 0) {
            throw new IllegalArgumentException("qnsp.billing.invoices.usage-retention must be at least 62 days");
        }
    }
}
