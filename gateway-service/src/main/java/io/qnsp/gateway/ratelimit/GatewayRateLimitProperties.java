package io.qnsp.gateway.ratelimit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Request limits the gateway enforces ({@code qnsp.gateway.rate-limit.*}). A caller with an API key gets the key's
 * own limits; a caller with a JWT shares its tenant's {@code tenant-default} with the tenant's other JWT callers. On
 * top of either, {@code tenant-total} can cap what all of a tenant's callers together may send.
 *
 * @param enabled       whether the gateway limits requests at all; off when something in front of it already does
 *                      (the status endpoint then reports no windows)
 * @param tenantDefault the windows for JWT callers, per tenant (per subject for a JWT without a tenant)
 * @param tenantTotal   the window every caller of a tenant is charged against as well, keys and JWTs alike
 * @param publicPaths   the limit per client address on the paths open without credentials
 * @param clientFailures the back-off of a client id whose secret the token endpoint keeps refusing
 */
@ConfigurationProperties("qnsp.gateway.rate-limit")
public record GatewayRateLimitProperties(@DefaultValue("true") boolean enabled, @DefaultValue Windows tenantDefault,
                                         @DefaultValue TenantTotal tenantTotal,
                                         @DefaultValue PublicPaths publicPaths,
                                         @DefaultValue ClientFailures clientFailures) {

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

    /**
     * The limit on requests without credentials (the public paths: the token endpoint, discovery documents, health,
     * API documents), per client address: the TCP peer the request came from, as one token bucket in Redis.
     *
     * @param requestsPerMinute requests per minute one address may send to public paths; 0 turns the limit off
     * @param burst             requests one address may send at once before the per-minute pace applies
     * @param exempt            public paths ({@code PathPattern} syntax) the limit leaves alone: the decision
     *                          endpoint, which charges the key in its body against that key's own bucket, and static
     *                          files (the dashboard, the Swagger UI), which a browser fetches by the dozen and which
     *                          hold nothing to guess
     */
    public record PublicPaths(@DefaultValue("300") long requestsPerMinute, @DefaultValue("60") long burst,
                              @DefaultValue({"/v1/check", "/dashboard", "/dashboard/**", "/swagger-ui.html",
                                      "/swagger-ui/**", "/webjars/**"}) List<String> exempt) {

        public PublicPaths {
            exempt = exempt == null ? List.of() : List.copyOf(exempt);
            if (requestsPerMinute < 0) {
                throw new IllegalArgumentException("qnsp.gateway.rate-limit.public-paths.requests-per-minute must not "
                        + "be negative (0 turns it off)");
            }
            if (requestsPerMinute > 0 && burst < 1) {
                throw new IllegalArgumentException("qnsp.gateway.rate-limit.public-paths.burst must be at least 1");
            }
        }

        boolean enabled() {
            return requestsPerMinute > 0;
        }
    }

    /**
     * The back-off of a client id on the token endpoint: once {@code maxFailures} of its token requests were refused
     * as unauthenticated (401) within {@code window}, its token requests are answered 429 for {@code backoff}; each
     * further refusal doubles the pause, up to {@code maxBackoff}. A token issued to it clears the count.
     *
     * @param maxFailures refusals within the window that start the back-off; 0 turns it off
     * @param window      how long refusals are counted together; the count is forgotten a window after the last
     *                    pause ended without a further refusal
     * @param backoff     the first pause
     * @param maxBackoff  the longest pause
     * @param path        the token endpoint's path at the gateway
     */
    public record ClientFailures(@DefaultValue("5") int maxFailures, @DefaultValue("5m") Duration window,
                                 @DefaultValue("30s") Duration backoff, @DefaultValue("15m") Duration maxBackoff,
                                 @DefaultValue("/oauth2/token") String path) {

        public ClientFailures {
            if (maxFailures < 0) {
                throw new IllegalArgumentException("qnsp.gateway.rate-limit.client-failures.max-failures must not be "
                        + "negative (0 turns it off)");
            }
            for (Duration duration : new Duration[] {window, backoff, maxBackoff}) {
                if (duration == null || duration.toMillis() < 1) {
                    throw new IllegalArgumentException("qnsp.gateway.rate-limit.client-failures window, backoff and "
                            + "max-backoff must be positive");
                }
            }
            if (maxBackoff.compareTo(backoff) < 0) {
                throw new IllegalArgumentException("qnsp.gateway.rate-limit.client-failures.max-backoff must not be "
                        + "shorter than backoff");
            }
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("qnsp.gateway.rate-limit.client-failures.path must start with '/'");
            }
        }

        boolean enabled() {
            return maxFailures > 0;
        }
    }
}
