package io.qnsp.securitymonitoring;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;

/**
 * The services security monitoring reads and acts through.
 *
 * @param authUrl             auth-service: API keys (revoked by playbooks, read as evidence), responder tokens
 * @param kmsUrl              kms-service: keys disabled by playbooks, read as evidence
 * @param vaultUrl            vault-service: secret versions deprecated by playbooks
 * @param auditUrl            audit-service: the tenant's DataHub webhooks
 * @param gatewayUrl          the gateway: its route table and the OpenAPI documents behind it
 * @param secretEncryptionKey base64 of 32 bytes sealing responder client secrets at rest; empty refuses responders
 * @param connectTimeout      how long to wait for a connection to another service
 * @param readTimeout         how long to wait for its answer
 */
@Validated
@ConfigurationProperties("qnsp.security-monitoring")
public record MonitoringSettings(@NotNull URI authUrl, @NotNull URI kmsUrl, @NotNull URI vaultUrl,
                                 @NotNull URI auditUrl, @NotNull URI gatewayUrl, @DefaultValue("") String secretEncryptionKey,
                                 @DefaultValue("2s") Duration connectTimeout,
                                 @DefaultValue("5s") Duration readTimeout) {
}
