package io.qnsp.auth;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

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
     * @param tenantId            the platform operator's tenant
     * @param credentialsFile     where to write the bootstrap credentials (owner-readable only) instead of printing
     *                            them to standard output; empty to print
     * @param gatewayClientId     the client the gateway uses to verify API keys
     * @param gatewayClientSecret when set, that client exists with this secret (created or updated at start-up),
     *                            holding only the scope {@code internal:keys:verify}; empty to manage it by hand
     */
    public record Bootstrap(@DefaultValue("platform") String tenantId, @DefaultValue("") String credentialsFile,
                            @DefaultValue("gateway") String gatewayClientId,
                            @DefaultValue("") String gatewayClientSecret) {

        @Override
        public String toString() {
            return "Bootstrap[tenantId=" + tenantId + ", gatewayClientId=" + gatewayClientId + "]";
        }
    }
}
