package io.qnsp.vault.envelope;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.stereotype.Service;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Envelope encryption of the vault's values: each value is sealed with AES-256-GCM under a data key from
 * kms-service, and stored with that data key as kms-service encrypted it. A tenant's data key is reused for new
 * values for {@code qnsp.vault.envelope.data-key-ttl}, and an opened data key is kept in memory as long, so most
 * writes and reads cost no call to kms-service. When kms-service is needed and cannot answer,
 * {@link DependencyDown} is thrown before anything is written.
 * <p>
 * The context given to {@link #seal} (e.g. the secret's id and version) is bound to the ciphertext as associated
 * data together with the tenant: a sealed value copied onto another row, or another tenant, does not open.
 */
@Service
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
    private final Cache<String, KmsDataKeys.DataKey> currentKeys;
    private final Cache<String, byte[]> openedKeys;
    private final SecureRandom random = new SecureRandom();

    Envelopes(KmsDataKeys kms, EnvelopeSettings settings) {
        this.kms = kms;
        this.currentKeys = Caffeine.newBuilder().expireAfterWrite(settings.dataKeyTtl()).maximumSize(10_000).build();
        this.openedKeys = Caffeine.newBuilder().expireAfterWrite(settings.dataKeyTtl()).maximumSize(100_000).build();
    }

    /** @throws DependencyDown when the tenant has no data key in use and kms-service cannot make one */
    public Sealed seal(String tenantId, String context, byte[] plaintext) {
        KmsDataKeys.DataKey key = currentKeys.get(tenantId, kms::generate);
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

    private static byte[] associatedData(String tenantId, String context) {
        return ("qnsp-vault\n" + tenantId + '\n' + context).getBytes(StandardCharsets.UTF_8);
    }
}
