package io.qnsp.gateway.authentication;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Who may pass the gateway ({@code qnsp.gateway.*}): the paths open to everyone, and how bearer tokens and API keys
 * are checked against auth-service.
 *
 * @param publicPaths the services' paths ({@code PathPattern} syntax) that need no credentials at the gateway
 *                    because the service authenticates the caller itself; the list replaces the default as a
 *                    whole. The gateway's own endpoints ({@link io.qnsp.gateway.web.PublicPaths}) are always open.
 * @param auth        auth-service, the one trust anchor
 */
@ConfigurationProperties("qnsp.gateway")
public record AuthenticationProperties(
        @DefaultValue({"/oauth2/**", "/.well-known/**", "/v1/check", "/v1/api-keys/**"}) List<String> publicPaths,
        @DefaultValue Auth auth) {

    public AuthenticationProperties {
        publicPaths = publicPaths == null ? List.of() : List.copyOf(publicPaths);
    }

    /**
     * auth-service as the gateway uses it.
     *
     * @param issuer       the {@code iss} every accepted JWT carries
     * @param jwkSetUri    where the signing keys are published ({@code /oauth2/jwks})
     * @param audience     the {@code aud} every accepted JWT carries
     * @param tokenUri     the token endpoint, for the gateway's own client-credentials token
     * @param verifyUri    the API key verification endpoint
     * @param clientId     the gateway's client (it needs scope {@code internal:keys:verify})
     * @param clientSecret its secret; without one, API keys cannot be verified (503) while JWTs still work
     * @param timeout      how long one call to auth-service may take before it counts as down
     * @param keyCache     how verified keys are remembered
     */
    public record Auth(URI issuer, URI jwkSetUri, @DefaultValue("qnsp") String audience, URI tokenUri, URI verifyUri,
                       @DefaultValue("gateway") String clientId, String clientSecret,
                       @DefaultValue("3s") Duration timeout, @DefaultValue KeyCache keyCache) {

        public Auth {
            if (issuer == null || jwkSetUri == null || tokenUri == null || verifyUri == null) {
                throw new IllegalArgumentException("qnsp.gateway.auth.issuer, jwk-set-uri, token-uri and verify-uri"
                        + " are required");
            }
            if (audience == null || audience.isBlank()) {
                throw new IllegalArgumentException("qnsp.gateway.auth.audience must not be blank");
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("qnsp.gateway.auth.timeout must be positive");
            }
        }

        boolean hasClientSecret() {
            return clientSecret != null && !clientSecret.isBlank();
        }

        @Override
        public String toString() {
            return "Auth[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret=" + (hasClientSecret()
                    ? "***" : "") + "]";
        }
    }

    /**
     * The cache of key verifications, keyed by a SHA-256 of the key.
     *
     * @param maxSize      most keys remembered
     * @param maxTtl       longest a verification is trusted without asking again, in case a change notice was missed
     * @param expiryMargin a verification is dropped this long before the downstream token it carries expires, so a
     *                     forwarded token is still valid when the service checks it
     * @param negativeTtl  how long a refused key is refused without asking again
     */
    public record KeyCache(@DefaultValue("100000") int maxSize, @DefaultValue("30s") Duration maxTtl,
                           @DefaultValue("30s") Duration expiryMargin, @DefaultValue("5s") Duration negativeTtl) {

        public KeyCache {
            if (maxSize < 1) {
                throw new IllegalArgumentException("qnsp.gateway.auth.key-cache.max-size must be at least 1");
            }
            for (Duration duration : new Duration[] {maxTtl, expiryMargin, negativeTtl}) {
                if (duration == null || duration.isNegative()) {
                    throw new IllegalArgumentException("qnsp.gateway.auth.key-cache durations must not be negative");
                }
            }
        }
    }
}
