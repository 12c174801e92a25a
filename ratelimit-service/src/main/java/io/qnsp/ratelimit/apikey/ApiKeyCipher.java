package io.qnsp.ratelimit.apikey;

import io.qnsp.common.crypto.KeyedHash;
import io.qnsp.common.crypto.SecretBox;
import io.qnsp.ratelimit.RateLimitSettings;
import org.springframework.stereotype.Component;

/**
 * Protects API keys at rest: a keyed hash to find a key without storing it, and authenticated encryption so an
 * operator can read it back through the admin API.
 */
@Component
class ApiKeyCipher {

    private final SecretBox box;
    private final KeyedHash hash;

    ApiKeyCipher(RateLimitSettings settings) {
        this.box = SecretBox.fromBase64Key(settings.keyEncryptionKey(),
                "qnsp.ratelimit-service.key-encryption-key", "qnsp-ratelimit-api-key-v1");
        this.hash = KeyedHash.fromBase64Secret(settings.keyHashSecret(), "qnsp.ratelimit-service.key-hash-secret");
    }

    byte[] fingerprint(String apiKey) {
        return hash.hash(apiKey);
    }

    byte[] encrypt(String apiKey) {
        return box.seal(apiKey);
    }

    String decrypt(byte[] stored) {
        return box.openString(stored);
    }
}
