package io.qnsp.vault.envelope;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;

/**
 * How the vault reaches kms-service for its data keys, and how it fingerprints values.
 *
 * @param kmsUrl         kms-service's base URL
 * @param tokenUri       auth-service's token endpoint: the vault's own client-credentials token is fetched there
 * @param clientId       the vault's client at auth-service (it needs kms:read, kms:write and kms:use)
 * @param clientSecret   its secret
 * @param keyName        the name of the KMS key every data key is generated under (created on first use)
 * @param dataKeyTtl     how long a data key is reused for new values, and how long an opened data key is kept in
 *                       memory for reads; past it, kms-service is asked again
 * @param connectTimeout how long to wait for a connection to kms-service or auth-service
 * @param readTimeout    how long to wait for their answer
 * @param hashKey        base64 of at least 32 bytes: the server secret under which values are fingerprinted
 *                       (HMAC-SHA256, one derived key per tenant), so values are compared and found without being
 *                       stored
 */
@Validated
@ConfigurationProperties("qnsp.vault.envelope")
public record EnvelopeSettings(@NotNull URI kmsUrl, @NotNull URI tokenUri, @DefaultValue("vault") String clientId,
                               @DefaultValue("") String clientSecret, @DefaultValue("qnsp-vault") String keyName,
                               @DefaultValue("5m") Duration dataKeyTtl, @DefaultValue("2s") Duration connectTimeout,
                               @DefaultValue("5s") Duration readTimeout, @NotBlank String hashKey) {

    @Override
    public String toString() {
        return "EnvelopeSettings[kmsUrl=" + kmsUrl + ", tokenUri=" + tokenUri + ", clientId=" + clientId
                + ", keyName=" + keyName + ", dataKeyTtl=" + dataKeyTtl + "]";
    }
}
