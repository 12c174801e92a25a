package io.qnsp.gateway.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Request limits the gateway enforces ({@code qnsp.gateway.rate-limit.*}). A caller with an API key gets the key's
 * own limits; a caller with a JWT shares its tenant's {@code tenant-default} with the tenant's other JWT callers. On
 * top of either, {@code tenant-total} can cap what all of a tenant's callers together may send.
 *
 * @param enabled       whether the gateway limits requests at all; off when something in front of it already does
 *                      (the status endpoint then reports no windows)
 * @param tenantDefault the windows for JWT callers, per tenant (per subject for a JWT without a tenant)
 * @param tenantTotal   the window every caller of a tenant is charged against as well, keys and JWTs alike
 */
@ConfigurationProperties("qnsp.gateway.rate-limit")
public record GatewayRateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue Windows tenantDefault,
                                         @DefaultValue TenantTotal tenantTotal) {

    /**
     * Requests allowed per window; a window left out (or not positive) has no limit.
     *
     * @param requestsPerMinute per minute (600 unless set)
     * @param requestsPerHour   per hour
     * @param requestsPerDay    per day
     */
    public record Windows(@DefaultValue("600") Long requestsPerMinute, Long requestsPerHour, Long requestsPerDay) {
    }

    /**
     * A tenant-wide window: the requests per minute all of a tenant's authenticated callers may send together,
     * charged in the same decision as each caller's own windows.
     *
     * @param requestsPerMinute per minute; unset or 0 means no tenant-wide window (the default)
     */
    public record TenantTotal(Long requestsPerMinute) {

        public TenantTotal {
            if (requestsPerMinute != null && requestsPerMinute < 0) {
                throw new IllegalArgumentException("qnsp.gateway.rate-limit.tenant-total.requests-per-minute must "
                        + "not be negative (0 turns it off)");
            }
        }

        boolean enabled() {
            return requestsPerMinute != null && requestsPerMinute > 0;
        }
    }
}
