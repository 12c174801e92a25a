package io.qnsp.kms.key;

import io.qnsp.common.error.InvalidField;
import io.qnsp.common.web.PathIds;
import io.qnsp.kms.usage.KeyOperation;
import io.qnsp.kms.usage.KeyOperations;
import io.qnsp.kms.usage.OperationType;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operations a key performs. Each one is counted in the operation log (tenant, key, version, application,
 * operation, bytes, outcome): successes with the call's transaction, failures on their own. Material is unwrapped
 * for the operation only and never leaves the service, except a data key's plaintext, which is the point of it.
 */
@Service
public class CryptoOperations {

    /** The most data one call encrypts or signs: larger data is encrypted under a data key (envelope encryption). */
    public static final int MAX_DATA_BYTES = 65_536;
    static final int MAX_CONTEXT_ENTRIES = 32;
    static final int MAX_CONTEXT_BYTES = 8_192;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Keys keys;
    private final KeyWrapping wrapping;
    private final KeyOperations operations;
    private final Clock clock = Clock.systemUTC();

    CryptoOperations(Keys keys, KeyWrapping wrapping, KeyOperations operations) {
        this.keys = keys;
        this.wrapping = wrapping;
        this.operations = operations;
    }

    /** Who performs an operation: the tenant, and the application (the caller's identity) it is counted for. */
    public record Actor(String tenantId, String applicationId) {
    }

    public record Encrypted(Key key, int version, byte[] ciphertext) {
    }

    public record Decrypted(Key key, int version, byte[] plaintext) {
    }

    public record Signed(Key key, int version, byte[] signature) {
    }

    /** @param version the version whose signature was valid, {@code null} when none was */
    public record Verified(Key key, boolean valid, @Nullable Integer version) {
    }

    public record Encapsulation(Key key, int version, byte[] sharedSecret, byte[] encapsulation) {
    }

    public record Decapsulated(Key key, int version, byte[] sharedSecret) {
    }

    public record DataKey(Key key, int version, byte[] plaintext, byte[] ciphertext) {
    }

    public Encrypted encrypt(Actor actor, String keyId, byte[] plaintext, Map<String, String> context) {
        checkData("plaintext", plaintext);
        checkContext(context);
        Key key = usable(actor, keyId, OperationType.ENCRYPT, plaintext.length);
        requireEncrypting(actor, key, OperationType.ENCRYPT, plaintext.length);
        if (key.algorithm() == KeyAlgorithm.RSA_3072 && plaintext.length > Cryptography.RSA_OAEP_MAX_PLAINTEXT) {
            fail(actor, key, null, OperationType.ENCRYPT, plaintext.length);
            throw new InvalidField("plaintext", "must be at most " + Cryptography.RSA_OAEP_MAX_PLAINTEXT
                    + " bytes for RSA-3072: encrypt larger data under a data key (generate-data-key)");
        }
        return performed(actor, key, key.currentVersion(), OperationType.ENCRYPT, plaintext.length, () -> {
            byte[] ciphertext = seal(key, plaintext, context);
            return new Encrypted(key, key.currentVersion(), ciphertext);
        });
    }

    /** The ciphertext names its key and version; only the caller's tenant's keys open it. */
    public Decrypted decrypt(Actor actor, byte[] ciphertextBytes, Map<String, String> context) {
        checkContext(context);
        Ciphertext ciphertext = Ciphertext.decode(ciphertextBytes);
        Key key = keys.find(actor.tenantId(), ciphertext.keyId()).orElseThrow(InvalidCiphertext::new);
        if (key.state() != KeyState.ENABLED) {
            fail(actor, key, ciphertext.version(), OperationType.DECRYPT, ciphertextBytes.length);
            throw new KeyNotUsable(key, "only an enabled key decrypts");
        }
        if (!key.usage().encrypts()) {
            fail(actor, key, ciphertext.version(), OperationType.DECRYPT, ciphertextBytes.length);
            throw new InvalidCiphertext();
        }
        return performed(actor, key, ciphertext.version(), OperationType.DECRYPT, ciphertextBytes.length, () -> {
            Unwrapped version = unwrap(key, ciphertext.version(), InvalidCiphertext::new);
            if (version.algorithm() == KeyAlgorithm.EC_P256 || version.algorithm() == KeyAlgorithm.ML_DSA_65) {
                throw new InvalidCiphertext();
            }
            byte[] plaintext = Cryptography.decrypt(version.algorithm(), version.material(), ciphertext.payload(),
                    Ciphertext.associatedData(ciphertext.header(), context));
            return new Decrypted(key, ciphertext.version(), plaintext);
        });
    }

    public Signed sign(Actor actor, String keyId, byte[] message) {
        checkData("message", message);
        Key key = usable(actor, keyId, OperationType.SIGN, message.length);
        requireUsage(actor, key, KeyUsage.SIGN_VERIFY, OperationType.SIGN, message.length);
        return performed(actor, key, key.currentVersion(), OperationType.SIGN, message.length, () -> {
            Unwrapped current = unwrap(key, key.currentVersion(), IllegalStateException::new);
            return new Signed(key, key.currentVersion(),
                    Cryptography.sign(current.algorithm(), current.material().secret(), message));
        });
    }

    /**
     * Checks the signature against the version given, or against every version (newest first) when none is: a
     * signature made before a rotation still verifies after it. An invalid signature is an answer, not a failure.
     */
    public Verified verify(Actor actor, String keyId, byte[] message, byte[] signature, @Nullable Integer version) {
        checkData("message", message);
        Key key = usable(actor, keyId, OperationType.VERIFY, message.length);
        requireUsage(actor, key, KeyUsage.SIGN_VERIFY, OperationType.VERIFY, message.length);
        List<KeyVersion> candidates;
        if (version != null) {
            KeyVersion stored = keys.version(key.keyId(), version).orElse(null);
            if (stored == null) {
                fail(actor, key, null, OperationType.VERIFY, message.length);
                throw new InvalidField("keyVersion", "must be between 1 and " + key.currentVersion());
            }
            candidates = List.of(stored);
        } else {
            candidates = keys.versions(key.keyId()).reversed();
        }
        for (KeyVersion candidate : candidates) {
            if (Cryptography.verify(candidate.algorithm(), candidate.publicKey(), message, signature)) {
                return performed(actor, key, candidate.version(), OperationType.VERIFY, message.length,
                        () -> new Verified(key, true, candidate.version()));
            }
        }
        return performed(actor, key, version, OperationType.VERIFY, message.length,
                () -> new Verified(key, false, null));
    }

    public Encapsulation encapsulate(Actor actor, String keyId) {
        Key key = usable(actor, keyId, OperationType.ENCAPSULATE, 0);
        requireUsage(actor, key, KeyUsage.KEY_ENCAPSULATION, OperationType.ENCAPSULATE, 0);
        return performed(actor, key, key.currentVersion(), OperationType.ENCAPSULATE, 0, () -> {
            KeyVersion current = keys.version(key.keyId(), key.currentVersion()).orElseThrow(IllegalStateException::new);
            Cryptography.Encapsulated result = Cryptography.encapsulate(current.publicKey());
            return new Encapsulation(key, key.currentVersion(), result.sharedSecret(), result.encapsulation());
        });
    }

    /** @param version the version the encapsulation was made for; the current one when {@code null} */
    public Decapsulated decapsulate(Actor actor, String keyId, byte[] encapsulation, @Nullable Integer version) {
        Key key = usable(actor, keyId, OperationType.DECAPSULATE, encapsulation.length);
        requireUsage(actor, key, KeyUsage.KEY_ENCAPSULATION, OperationType.DECAPSULATE, encapsulation.length);
        int wanted = version == null ? key.currentVersion() : version;
        return performed(actor, key, wanted, OperationType.DECAPSULATE, encapsulation.length, () -> {
            Unwrapped stored = unwrap(key, wanted,
                    () -> new InvalidField("keyVersion", "must be between 1 and " + key.currentVersion()));
            if (stored.algorithm() != KeyAlgorithm.ML_KEM_768) {
                throw new InvalidField("keyVersion", "is a " + stored.algorithm().apiName() + " version: it does not "
                        + "decapsulate");
            }
            try {
                return new Decapsulated(key, wanted, Cryptography.decapsulate(stored.material().secret(),
                        encapsulation));
            } catch (InvalidCiphertext e) {
                throw new InvalidCiphertext("encapsulation");
            }
        });
    }

    /**
     * A fresh AES data key: its plaintext for the caller to encrypt with and forget, and the same key encrypted
     * under the KMS key, to store beside the data and decrypt when needed (envelope encryption).
     */
    public DataKey generateDataKey(Actor actor, String keyId, int keyBytes, Map<String, String> context) {
        checkContext(context);
        Key key = usable(actor, keyId, OperationType.GENERATE_DATA_KEY, 0);
        requireEncrypting(actor, key, OperationType.GENERATE_DATA_KEY, 0);
        return performed(actor, key, key.currentVersion(), OperationType.GENERATE_DATA_KEY, 0, () -> {
            byte[] dataKey = new byte[keyBytes];
            RANDOM.nextBytes(dataKey);
            return new DataKey(key, key.currentVersion(), dataKey, seal(key, dataKey, context));
        });
    }

    private byte[] seal(Key key, byte[] plaintext, Map<String, String> context) {
        Unwrapped current = unwrap(key, key.currentVersion(), IllegalStateException::new);
        byte[] header = Ciphertext.header(key.keyId(), key.currentVersion());
        byte[] payload = Cryptography.encrypt(current.algorithm(), current.material(), plaintext,
                Ciphertext.associatedData(header, context));
        return new Ciphertext(key.keyId(), key.currentVersion(), payload).encode();
    }

    /** A version's material, opened for one operation, with the algorithm it belongs to. */
    private record Unwrapped(KeyAlgorithm algorithm, Cryptography.Material material) {
    }

    private Unwrapped unwrap(Key key, int version, Supplier<? extends RuntimeException> missing) {
        KeyVersion stored = keys.version(key.keyId(), version).orElseThrow(missing);
        return new Unwrapped(stored.algorithm(), new Cryptography.Material(
                wrapping.unwrap(key.keyId(), version, stored.wrappedMaterial()), stored.publicKey()));
    }

    private Key usable(Actor actor, String keyId, OperationType operation, long bytes) {
        Key key = keys.find(actor.tenantId(), PathIds.parse(keyId, KeyNotFound::new)).orElseThrow(KeyNotFound::new);
        if (key.state() != KeyState.ENABLED) {
            fail(actor, key, null, operation, bytes);
            throw new KeyNotUsable(key, "only an enabled key performs operations");
        }
        return key;
    }

    private void requireEncrypting(Actor actor, Key key, OperationType operation, long bytes) {
        if (!key.usage().encrypts()) {
            fail(actor, key, null, operation, bytes);
            throw new InvalidField("keyId", "is a " + key.usage().apiName() + " key: it does not encrypt");
        }
    }

    private void requireUsage(Actor actor, Key key, KeyUsage usage, OperationType operation, long bytes) {
        if (key.usage() != usage) {
            fail(actor, key, null, operation, bytes);
            throw new InvalidField("keyId", "is a " + key.usage().apiName() + " key: " + operation.apiName()
                    + " needs a " + usage.apiName() + " key");
        }
    }

    /** Runs the operation and counts it, as a success or, when it throws, as a failure. */
    private <T> T performed(Actor actor, Key key, @Nullable Integer version, OperationType operation, long bytes,
                            Supplier<T> work) {
        T result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            fail(actor, key, version, operation, bytes);
            throw e;
        }
        operations.record(new KeyOperation(actor.tenantId(), key.keyId(), version, key.algorithm().apiName(),
                actor.applicationId(), KeyOperation.SERVICE, operation, bytes, true, clock.instant()));
        return result;
    }

    private void fail(Actor actor, Key key, @Nullable Integer version, OperationType operation, long bytes) {
        operations.record(new KeyOperation(actor.tenantId(), key.keyId(), version, key.algorithm().apiName(),
                actor.applicationId(), KeyOperation.SERVICE, operation, bytes, false, clock.instant()));
    }

    private static void checkData(String field, byte[] data) {
        if (data.length > MAX_DATA_BYTES) {
            throw new InvalidField(field, "must be at most " + MAX_DATA_BYTES + " bytes: encrypt larger data under a "
                    + "data key (generate-data-key)");
        }
    }

    private static void checkContext(Map<String, String> context) {
        if (context.size() > MAX_CONTEXT_ENTRIES) {
            throw new InvalidField("encryptionContext", "must have at most " + MAX_CONTEXT_ENTRIES + " entries");
        }
        int bytes = 0;
        for (Map.Entry<String, String> entry : context.entrySet()) {
            if (entry.getKey().isEmpty()) {
                throw new InvalidField("encryptionContext", "must not have an empty name");
            }
            if (entry.getValue() == null) {
                throw new InvalidField("encryptionContext." + entry.getKey(), "must be a string");
            }
            bytes += entry.getKey().length() + entry.getValue().length();
        }
        if (bytes > MAX_CONTEXT_BYTES) {
            throw new InvalidField("encryptionContext", "must be at most " + MAX_CONTEXT_BYTES + " characters in all");
        }
    }
}
