package io.qnsp.kms;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Settings of kms-service.
 *
 * @param masterKey             base64 of 32 random bytes: the AES-256-GCM key that wraps every key's material at rest
 * @param deletionSweepInterval how often keys whose deletion waiting period has passed are destroyed
 * @param alertEvaluationInterval how often the usage alert rules are evaluated against the operation counts
 * @param hsmLibraries          the PKCS#11 libraries (absolute paths) a tenant's BYOHSM connection may load; none by
 *                              default, so no tenant can make the service load a file the operator did not list
 */
@Validated
@ConfigurationProperties("qnsp.kms")
public record KmsSettings(@NotBlank String masterKey,
                          @DefaultValue("1m") Duration deletionSweepInterval,
                          @DefaultValue("30s") Duration alertEvaluationInterval,
                          @DefaultValue List<String> hsmLibraries) {
}
