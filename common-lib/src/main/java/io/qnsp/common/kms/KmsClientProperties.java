package io.qnsp.common.kms;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;

/**
 * How a service reaches kms-service for its data keys (the mechanism is on when {@code qnsp.kms-client.url} is set).
 *
 * @param url                  kms-service's base URL
 * @param tokenUri             auth-service's token endpoint: the service's own client-credentials token is fetched
 *                             there
 * @param clientId             the service's client at auth-service (it needs kms:read, kms:write and kms:use)
 * @param clientSecret         its secret
 * @param service              the service's short name (e.g. {@code vault}): it is bound into every data key's
 *                             encryption context and every sealed value's associated data, so data keys and values
 *                             of one service do not open as another's
 * @param keyName              the name of the KMS key every data key is generated under (created on first use);
 *                             empty: {@code qnsp-<service>}
 * @param dataKeyTtl           how long a tenant's data key is reused for new values, and how long an opened data
 *                             key is kept in memory; past it, kms-service is asked again
 * @param connectTimeout       how long to wait for a connection to kms-service or auth-service
 * @param readTimeout          how long to wait for their answer
 * @param schemaInitialization create the table remembering the KMS key ({@code qnsp_kms_key}) at startup when missing
 */
@Validated
@ConfigurationProperties("qnsp.kms-client")
public record KmsClientProperties(@NotNull URI url, @NotNull URI tokenUri, @NotBlank String clientId,
                                  @DefaultValue("") String clientSecret, @NotBlank String service,
                                  @DefaultValue("") String keyName, @DefaultValue("5m") Duration dataKeyTtl,
                                  @DefaultValue("2s") Duration connectTimeout, @DefaultValue("5s") Duration readTimeout,
                                  @DefaultValue("true") boolean schemaInitialization) {

    public KmsClientProperties {
        if (dataKeyTtl != null && dataKeyTtl.isNegative()) {
            throw new IllegalArgumentException("qnsp.kms-client.data-key-ttl must not be negative");
        }
    }

    /** The KMS key's name: {@code key-name}, or {@code qnsp-<service>} when it is not set. */
    public String effectiveKeyName() {
        return keyName == null || keyName.isBlank() ? "qnsp-" + service : keyName;
    }

    /** The same settings with another data-key lifetime. */
    public KmsClientProperties withDataKeyTtl(Duration ttl) {
        return new KmsClientProperties(url, tokenUri, clientId, clientSecret, service, keyName, ttl, connectTimeout,
                readTimeout, schemaInitialization);
    }

    @Override
    public String toString() {
        return "KmsClientProperties[url=" + url + ", tokenUri=" + tokenUri + ", clientId=" + clientId
                + ", service=" + service + ", keyName=" + effectiveKeyName() + ", dataKeyTtl=" + dataKeyTtl + "]";
    }
}
