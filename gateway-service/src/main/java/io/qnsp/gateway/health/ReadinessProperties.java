package io.qnsp.gateway.health;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * What {@code GET /health/ready} checks besides Redis.
 *
 * @param services ids of the routes whose service must be ready for the gateway to be; each is asked for
 *                 {@code /actuator/health/readiness} at its route's URI
 * @param timeout  how long one check may take before its dependency counts as down
 */
@ConfigurationProperties("qnsp.gateway.readiness")
public record ReadinessProperties(@DefaultValue({"auth", "ratelimit"}) List<String> services,
                                  @DefaultValue("2s") Duration timeout) {

    public ReadinessProperties {
        services = List.copyOf(services);
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("qnsp.gateway.readiness.timeout must be a positive duration");
        }
    }
}
