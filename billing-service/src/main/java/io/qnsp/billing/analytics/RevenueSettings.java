package io.qnsp.billing.analytics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.math.BigDecimal;

/**
 * Settings of revenue analytics.
 *
 * @param stableBandPercent a change within this many percent either way counts as {@code stable}
 */
@Validated
@ConfigurationProperties("qnsp.billing.revenue")
public record RevenueSettings(@DefaultValue("1") BigDecimal stableBandPercent) {

    public RevenueSettings {
        if (stableBandPercent.signum() < 0) {
            throw new IllegalArgumentException("qnsp.billing.revenue.stable-band-percent must not be negative");
        }
    }
}
