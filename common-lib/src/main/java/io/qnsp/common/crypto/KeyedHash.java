package io.qnsp.common.crypto;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * HMAC-SHA256 under a server secret: finds a presented secret (an API key) by lookup without storing it, and
 * without the stored value being useful to someone who reads the database but not the configuration.
 */
public final class KeyedHash {

    // initialised once and only ever cloned: looking the algorithm up and keying a new Mac per hash cost more than
    // the hash itself on the runtime check path
    private final Mac keyed;

    private KeyedHash(byte[] key) {
        try {
            this.keyed = Mac.getInstance("HmacSHA256");
            this.keyed.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /**
     * @param base64Secret base64 of at least 32 bytes
     * @param settingName  the configuration property the secret came from, named in errors
     */
    public static KeyedHash fromBase64Secret(String base64Secret, String settingName) {
        byte[] secret = SecretBox.Secrets.decodeBase64(base64Secret, settingName);
        if (secret.length < 32) {
            throw new IllegalStateException(settingName + " must be base64 of at least 32 bytes");
        }
        return new KeyedHash(secret);
    }

    public byte[] hash(String value) {
        return newMac().doFinal(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A Mac of its own for the caller: clones of the keyed one share nothing mutable. */
    private Mac newMac() {
        try {
            return (Mac) keyed.clone();
        } catch (CloneNotSupportedException notCloneable) {
            throw new IllegalStateException("the HMAC-SHA256 provider cannot clone a keyed Mac", notCloneable);
        }
    }

    /** {@link #hash} as base64, e.g. for cache keys and notices. */
    public String hashBase64(String value) {
        return Base64.getEncoder().encodeToString(hash(value));
    }
}
