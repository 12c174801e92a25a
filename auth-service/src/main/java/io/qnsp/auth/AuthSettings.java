package io.qnsp.auth;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Settings of auth-service's token issuer.
 *
 * @param issuer                   the issuer URL tokens carry and the discovery documents announce
 * @param signingKeyEncryptionKey  base64 of 32 random bytes: seals the signing keys' private parts at rest
 * @param accessTokenTtl           lifetime of access tokens issued to clients
 * @param signingKeyRotation       age at which the signing key is replaced by a new one
 * @param bootstrap                what an empty database gets on first start
 */
@Validated
@ConfigurationProperties("qnsp.auth")
public record AuthSettings(@NotBlank String issuer,
                           @NotBlank String signingKeyEncryptionKey,
                           @DefaultValue("15m") Duration accessTokenTtl,
                           @DefaultValue("30d") Duration signingKeyRotation,
                           @DefaultValue Bootstrap bootstrap) {

    /**
     * @param tenantId        the platform operator's tenant
     * @param credentialsFile where to write the bootstrap credentials (owner-readable only) instead of printing
     *                        them to standard output; empty to print
     * @param serviceClients  the platform's own services that call others with a token of their own (the gateway
     *                        verifying API keys, the vault and the object store asking kms-service for data keys), by client id: each
     *                        one with a secret set exists in the operator's tenant with exactly that secret and
     *                        those scopes (created or updated at every start); one without a secret is left alone
     */
    public record Bootstrap(@DefaultValue("platform") String tenantId, @DefaultValue("") String credentialsFile,
                            @DefaultValue Map<String, ServiceClient> serviceClients) {

        @Override
        public String toString() {
            return "Bootstrap[tenantId=" + tenantId + ", serviceClients=" + serviceClients.keySet() + "]";
        }
    }

    /**
     * @param secret the client's secret; empty to manage the client by hand
     * @param scopes the only scopes its tokens carry
     */
    public record ServiceClient(@DefaultValue("") String secret, @DefaultValue List<String> scopes) {

        @Override
        public String toString() {
            return "ServiceClient[scopes=" + scopes + "]";
        }
    }
}
