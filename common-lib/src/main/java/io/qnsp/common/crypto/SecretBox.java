package io.qnsp.common.crypto;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Authenticated encryption of secrets at rest (AES-256-GCM, a fresh 96-bit nonce per message, stored as
 * {@code nonce || ciphertext || tag}). The context string is bound as associated data, so a value sealed for one
 * purpose cannot be opened as another.
 */
public final class SecretBox {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final byte[] context;
    private final SecureRandom random = new SecureRandom();

    private SecretBox(byte[] key, String context) {
        this.key = new SecretKeySpec(key, "AES");
        this.context = context.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param base64Key   base64 of exactly 32 bytes
     * @param settingName the configuration property the key came from, named in errors
     * @param context     what the box protects, e.g. {@code qnsp-auth-signing-key-v1}
     * @throws IllegalStateException when the key is missing, not base64 or not 32 bytes
     */
    public static SecretBox fromBase64Key(String base64Key, String settingName, String context) {
        byte[] key = Secrets.decodeBase64(base64Key, settingName);
        if (key.length != 32) {
            throw new IllegalStateException(settingName + " must be base64 of exactly 32 bytes (AES-256)");
        }
        return new SecretBox(key, context);
    }

    public byte[] seal(byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context);
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public byte[] seal(String plaintext) {
        return seal(plaintext.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @throws IllegalStateException when the value was tampered with or sealed under another key or context
     */
    public byte[] open(byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(context);
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // a different key than the one the value was sealed under: a configuration error, not input
            throw new IllegalStateException("a stored secret cannot be decrypted with the configured key", e);
        }
    }

    public String openString(byte[] sealed) {
        return new String(open(sealed), StandardCharsets.UTF_8);
    }

    /** Helpers shared by the crypto settings. */
    static final class Secrets {

        private Secrets() {
        }

        static byte[] decodeBase64(String value, String settingName) {
            if (value == null || value.isBlank()) {
                throw new IllegalStateException(settingName + " is not configured");
            }
            try {
                return Base64.getDecoder().decode(value.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(settingName + " is not valid base64");
            }
        }
    }
}
