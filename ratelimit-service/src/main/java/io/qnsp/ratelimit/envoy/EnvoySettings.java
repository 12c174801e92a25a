package io.qnsp.ratelimit.envoy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Settings of the Envoy rate-limit service ({@code envoy.service.ratelimit.v3.RateLimitService}).
 *
 * @param enabled             whether the gRPC server runs at all
 * @param port                its port; {@code 0} takes a free one (tests)
 * @param bindAddress         the address it listens on
 * @param apiKeyEntry         the descriptor entry key whose value is a platform API key
 * @param responseHeaders     whether answers carry {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset}
 *                            for Envoy to add to the client's response
 * @param shutdownGracePeriod how long calls in flight may finish when the application stops
 * @param domains             descriptor rules per domain, in the shape of envoyproxy/ratelimit's configuration
 */
@ConfigurationProperties("qnsp.ratelimit.envoy")
public record EnvoySettings(@DefaultValue("true") boolean enabled,
                            @DefaultValue("8188") int port,
                            @DefaultValue("0.0.0.0") String bindAddress,
                            @DefaultValue("api_key") String apiKeyEntry,
                            @DefaultValue("false") boolean responseHeaders,
                            @DefaultValue("10s") Duration shutdownGracePeriod,
                            Map<String, Domain> domains) {

    public EnvoySettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("qnsp.ratelimit.envoy.port must be between 0 and 65535");
        }
        if (apiKeyEntry == null || apiKeyEntry.isBlank()) {
            throw new IllegalArgumentException("qnsp.ratelimit.envoy.api-key-entry must not be blank");
        }
        domains = domains == null ? Map.of() : Map.copyOf(domains);
    }

    /** The rules of one domain. */
    public record Domain(List<Descriptor> descriptors) {

        public Domain {
            descriptors = descriptors == null ? List.of() : List.copyOf(descriptors);
        }
    }

    /**
     * One rule: matches an entry with {@code key} (and {@code value}, when given; any value otherwise); either limits
     * descriptors that end here ({@code unit} and {@code requestsPerUnit}) or only leads to nested rules, or both.
     */
    public record Descriptor(String key, String value, Unit unit, Integer requestsPerUnit, boolean shadowMode,
                             List<Descriptor> descriptors) {

        public Descriptor {
            descriptors = descriptors == null ? List.of() : List.copyOf(descriptors);
        }
    }

    /** The period a rule's {@code requests-per-unit} refers to. */
    public enum Unit {
        SECOND(1), MINUTE(60), HOUR(3_600), DAY(86_400);

        private final long seconds;

        Unit(long seconds) {
            this.seconds = seconds;
        }

        public long seconds() {
            return seconds;
        }
    }
}
