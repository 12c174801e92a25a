package io.qnsp.vault.fingerprint;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the vault fingerprints values.
 *
 * @param hashKey base64 of at least 32 bytes: the server secret under which values are fingerprinted (HMAC-SHA256,
 *                one derived key per tenant), so values are compared and found without being stored
 */
@Validated
@ConfigurationProperties("qnsp.vault.fingerprints")
public record FingerprintSettings(@NotBlank String hashKey) {

    @Override
    public String toString() {
        return "FingerprintSettings[hashKey=***]";
    }
}
