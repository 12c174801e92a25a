package io.qnsp.kms;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of kms-service.
 *
 * @param masterKey             base64 of 32 random bytes: the AES-256-GCM key that wraps every key's material at rest
 * @param deletionSweepInterval how often keys whose deletion waiting period has passed are destroyed
 * @param alertEvaluationInterval how often the usage alert rules are evaluated against the operation counts
 */
@Validated
@ConfigurationProperties("qnsp.kms")
public record KmsSettings(@NotBlank String masterKey,
                          @DefaultValue("1m") Duration deletionSweepInterval,
                          @DefaultValue("30s") Duration alertEvaluationInterval) {
}
