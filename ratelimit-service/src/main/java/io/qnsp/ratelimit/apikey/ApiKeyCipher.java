package io.qnsp.ratelimit.apikey;

import io.qnsp.ratelimit.RateLimitSettings;
import org.springframework.stereotype.Component;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Protects API keys at rest: a keyed hash to find a key without storing it, and authenticated encryption so an
 * operator can read it back through the admin API. Neither secret ever leaves this class.
 */
@Component
class ApiKeyCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] ASSOCIATED_DATA = "qnsp-ratelimit-api-key-v1".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec encryptionKey;
    private final SecretKeySpec hashKey;
    private final SecureRandom random = new SecureRandom();

    ApiKeyCipher(RateLimitSettings settings) {
        byte[] encryption = decode(settings.keyEncryptionKey(), "key-encryption-key");
        if (encryption.length != 32) {
            throw new IllegalStateException(
                    "qnsp.ratelimit-service.key-encryption-key must be base64 of exactly 32 bytes (AES-256)");
        }
        byte[] hash = decode(settings.keyHashSecret(), "key-hash-secret");
        if (hash.length < 32) {
            throw new IllegalStateException("qnsp.ratelimit-service.key-hash-secret must be base64 of at least 32 bytes");
        }
        this.encryptionKey = new SecretKeySpec(encryption, "AES");
        this.hashKey = new SecretKeySpec(hash, "HmacSHA256");
    }

    private static byte[] decode(String value, String name) {
        try {
            return Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("qnsp.ratelimit-service." + name + " is not valid base64");
        }
    }

    byte[] fingerprint(String apiKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hashKey);
            return mac.doFinal(apiKey.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    byte[] encrypt(String apiKey) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(ASSOCIATED_DATA);
            byte[] sealed = cipher.doFinal(apiKey.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    String decrypt(byte[] stored) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
            cipher.updateAAD(ASSOCIATED_DATA);
            byte[] plain = cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            // a different encryption key than the one the key was stored under: configuration error, not input
            throw new IllegalStateException("stored API key cannot be decrypted with the configured key", e);
        }
    }
}
