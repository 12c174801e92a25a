package io.qnsp.gateway.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Request limits the gateway enforces ({@code qnsp.gateway.rate-limit.*}). A caller with an API key gets the key's
 * own limits; a caller with a JWT shares its tenant's {@code tenant-default} with the tenant's other JWT callers.
 *
 * @param enabled       whether the gateway limits requests at all; off when something in front of it already does
 *                      (the status endpoint then reports no windows)
 * @param tenantDefault the windows for JWT callers, per tenant (per subject for a JWT without a tenant)
 */
@ConfigurationProperties("qnsp.gateway.rate-limit")
public record GatewayRateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue Windows tenantDefault) {

    /**
     * Requests allowed per window; a window left out (or not positive) has no limit.
     *
     * @param requestsPerMinute per minute (600 unless set)
     * @param requestsPerHour   per hour
     * @param requestsPerDay    per day
     */
    public record Windows(@DefaultValue("600") Long requestsPerMinute, Long requestsPerHour, Long requestsPerDay) {
    }
}
