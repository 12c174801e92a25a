package io.qnsp.auth.apikey;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * The keyed hash under which keys are stored and found: HMAC-SHA256 with {@code qnsp.auth.api-key-hash-secret}, so a
 * copy of the table alone cannot be used to test guesses. The service refuses to start without a proper secret.
 */
@Component
class ApiKeyHasher {

    static final String PROPERTY = "qnsp.auth.api-key-hash-secret";
    private static final int MIN_SECRET_BYTES = 32;

    private final SecretKeySpec secret;

    ApiKeyHasher(@Value("${" + PROPERTY + ":}") String encodedSecret) {
        if (encodedSecret == null || encodedSecret.isBlank()) {
            throw new IllegalStateException(PROPERTY + " is required: base64 of at least " + MIN_SECRET_BYTES
                    + " random bytes");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encodedSecret.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(PROPERTY + " is not valid base64");
        }
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException(PROPERTY + " must be base64 of at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.secret = new SecretKeySpec(bytes, "HmacSHA256");
    }

    byte[] hash(String apiKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac.doFinal(apiKey.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
