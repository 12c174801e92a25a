package io.qnsp.common.kms;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Envelope encryption with data keys from kms-service: a small value is sealed with AES-256-GCM under a data key and
 * stored with that data key as kms-service encrypted it; large content is encrypted by the service itself under a
 * {@link #currentDataKey current data key} and opened later with {@link #openDataKey}. A tenant's data key is reused
 * for new values for {@code qnsp.kms-client.data-key-ttl}, and an opened data key is kept in memory as long, so most
 * writes and reads cost no call to kms-service. When kms-service is needed and cannot answer, {@link DependencyDown}
 * is thrown before anything is written.
 * <p>
 * The context given to {@link #seal} (e.g. a secret's id and version) is bound to the ciphertext as associated data
 * together with the service and the tenant: a sealed value copied onto another row, or another tenant, does not open.
 */
public class Envelopes {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    /** A sealed value: {@code nonce || ciphertext || tag}, and the data key it was sealed with, as kms-service wrapped it. */
    public record Sealed(byte[] ciphertext, String wrappedKey) {

        @Override
        public String toString() {
            return "Sealed[" + ciphertext.length + " bytes]";
        }
    }

    private final KmsDataKeys kms;
    private final String service;
    private final Cache<String, DataKey> currentKeys;
    private final Cache<String, byte[]> openedKeys;
    private final SecureRandom random = new SecureRandom();

    Envelopes(KmsDataKeys kms, KmsClientProperties settings) {
        this.kms = kms;
        this.service = settings.service();
        this.currentKeys = Caffeine.newBuilder().expireAfterWrite(settings.dataKeyTtl()).maximumSize(10_000).build();
        this.openedKeys = Caffeine.newBuilder().expireAfterWrite(settings.dataKeyTtl()).maximumSize(100_000).build();
    }

    /**
     * The tenant's data key for new content: the one in use while it is fresh, else a new one from kms-service. The
     * caller encrypts with {@link DataKey#plaintext()}, stores {@link DataKey#wrapped()} and forgets the plaintext.
     *
     * @throws DependencyDown when the tenant has no data key in use and kms-service cannot make one
     */
    public DataKey currentDataKey(String tenantId) {
        DataKey key = currentKeys.get(tenantId, kms::generate);
        openedKeys.put(cacheKey(tenantId, key.wrapped()), key.plaintext());
        return new DataKey(key.plaintext().clone(), key.wrapped());
    }

    /**
     * The plaintext of a data key {@link #currentDataKey} handed out for the tenant, from memory or from kms-service.
     *
     * @throws DependencyDown when the data key is not in memory and kms-service cannot open it (it also refuses a
     *                        data key of another tenant or service)
     */
    public byte[] openDataKey(String tenantId, String wrappedKey) {
        return openedKeys.get(cacheKey(tenantId, wrappedKey), ignored -> kms.open(tenantId, wrappedKey)).clone();
    }

    /** @throws DependencyDown when the tenant has no data key in use and kms-service cannot make one */
    public Sealed seal(String tenantId, String context, byte[] plaintext) {
        DataKey key = currentKeys.get(tenantId, kms::generate);
        openedKeys.put(cacheKey(tenantId, key.wrapped()), key.plaintext());
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.plaintext(), "AES"),
                    new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(tenantId, context));
            byte[] sealed = cipher.doFinal(plaintext);
            return new Sealed(ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array(),
                    key.wrapped());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public Sealed seal(String tenantId, String context, String plaintext) {
        return seal(tenantId, context, plaintext.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @throws DependencyDown        when the data key is not in memory and kms-service cannot open it
     * @throws IllegalStateException when the value does not open: it was altered, or sealed for another context
     */
    public byte[] open(String tenantId, String context, Sealed sealed) {
        byte[] key = openedKeys.get(cacheKey(tenantId, sealed.wrappedKey()),
                ignored -> kms.open(tenantId, sealed.wrappedKey()));
        byte[] value = sealed.ciphertext();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new GCMParameterSpec(TAG_BITS, value, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(tenantId, context));
            return cipher.doFinal(value, NONCE_BYTES, value.length - NONCE_BYTES);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a stored value does not open under its data key and context", e);
        }
    }

    public String openString(String tenantId, String context, Sealed sealed) {
        return new String(open(tenantId, context, sealed), StandardCharsets.UTF_8);
    }

    private static String cacheKey(String tenantId, String wrappedKey) {
        return tenantId + '\n' + wrappedKey;
    }

    private byte[] associatedData(String tenantId, String context) {
        return ("qnsp-" + service + "\n" + tenantId + '\n' + context).getBytes(StandardCharsets.UTF_8);
    }
}
