package io.qnsp.auth.apikey;

import io.qnsp.common.crypto.KeyedHash;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The keyed hash under which keys are stored and found: HMAC-SHA256 with {@code qnsp.auth.api-key-hash-secret}, so a
 * copy of the table alone cannot be used to test guesses. The service refuses to start without a proper secret.
 */
@Component
class ApiKeyHasher {

    static final String PROPERTY = "qnsp.auth.api-key-hash-secret";

    private final KeyedHash keyedHash;

    ApiKeyHasher(@Value("${" + PROPERTY + ":}") String encodedSecret) {
        this.keyedHash = KeyedHash.fromBase64Secret(encodedSecret, PROPERTY);
    }

    byte[] hash(String apiKey) {
        return keyedHash.hash(apiKey);
    }
}
