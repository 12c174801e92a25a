package io.qnsp.kms.key;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;
import java.util.Set;

/**
 * The algorithms a key can have, all implemented by the JDK's own providers. {@code category} is the crypto-agility
 * reports' grouping; {@code postQuantum} marks the NIST FIPS 203/204 algorithms.
 */
public enum KeyAlgorithm {
    AES_256_GCM("AES-256-GCM", "encryption", false, KeyUsage.ENCRYPT_DECRYPT, Set.of(KeyUsage.ENCRYPT_DECRYPT)),
    RSA_3072("RSA-3072", "encryption", false, KeyUsage.ENCRYPT_DECRYPT,
            Set.of(KeyUsage.ENCRYPT_DECRYPT, KeyUsage.SIGN_VERIFY)),
    EC_P256("EC-P256", "signing", false, KeyUsage.SIGN_VERIFY, Set.of(KeyUsage.SIGN_VERIFY)),
    ML_KEM_768("ML-KEM-768", "key_exchange", true, KeyUsage.KEY_ENCAPSULATION, Set.of(KeyUsage.KEY_ENCAPSULATION)),
    ML_DSA_65("ML-DSA-65", "signing", true, KeyUsage.SIGN_VERIFY, Set.of(KeyUsage.SIGN_VERIFY));

    private final String apiName;
    private final String category;
    private final boolean postQuantum;
    private final KeyUsage defaultUsage;
    private final Set<KeyUsage> usages;

    KeyAlgorithm(String apiName, String category, boolean postQuantum, KeyUsage defaultUsage, Set<KeyUsage> usages) {
        this.apiName = apiName;
        this.category = category;
        this.postQuantum = postQuantum;
        this.defaultUsage = defaultUsage;
        this.usages = usages;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    /** encryption, signing or key_exchange; an RSA key's category follows its usage (see {@link #category(KeyUsage)}). */
    public String category(KeyUsage usage) {
        return this == RSA_3072 && usage == KeyUsage.SIGN_VERIFY ? "signing" : category;
    }

    public boolean postQuantum() {
        return postQuantum;
    }

    /** Whether the key material has a public half. */
    public boolean asymmetric() {
        return this != AES_256_GCM;
    }

    KeyUsage defaultUsage() {
        return defaultUsage;
    }

    boolean allows(KeyUsage usage) {
        return usages.contains(usage);
    }

    /**
     * The usage a key of {@code usage} has after a rotation to this algorithm, or {@code null} when this algorithm
     * cannot take over its work: signing keys rotate to signing algorithms, encrypting keys to encrypting ones
     * (ML-KEM-768 encrypts through KEM-DEM, so an RSA or AES key can move to it).
     */
    KeyUsage usageAfterRotationFrom(KeyUsage usage) {
        if (usage == KeyUsage.SIGN_VERIFY) {
            return allows(KeyUsage.SIGN_VERIFY) ? KeyUsage.SIGN_VERIFY : null;
        }
        return switch (this) {
            case AES_256_GCM, RSA_3072 -> KeyUsage.ENCRYPT_DECRYPT;
            case ML_KEM_768 -> KeyUsage.KEY_ENCAPSULATION;
            case EC_P256, ML_DSA_65 -> null;
        };
    }

    List<String> usageNames() {
        return usages.stream().map(KeyUsage::apiName).sorted().toList();
    }

    public static KeyAlgorithm fromApiName(String name) {
        for (KeyAlgorithm algorithm : values()) {
            if (algorithm.apiName.equals(name)) {
                return algorithm;
            }
        }
        return null;
    }

    public static List<String> apiNames() {
        return java.util.Arrays.stream(values()).map(KeyAlgorithm::apiName).toList();
    }
}
