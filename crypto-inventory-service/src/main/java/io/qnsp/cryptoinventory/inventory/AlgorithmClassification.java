package io.qnsp.cryptoinventory.inventory;

import org.jspecify.annotations.Nullable;

import java.util.Locale;
import java.util.Map;

/**
 * Which algorithms are quantum-resistant: kms-service's own quantum-risk table (its risk assessment) for every
 * algorithm it knows, so the inventory and kms-service's crypto-agility reports never disagree; the same rule by
 * family for algorithms only other assets use (an RSA-2048 signing key, a P-384 certificate).
 */
public record AlgorithmClassification(Map<String, String> kmsRisks) {

    public static final String LOW = "low";

    public AlgorithmClassification {
        kmsRisks = Map.copyOf(kmsRisks);
    }

    /** The quantum risk of the algorithm: low, medium, high or critical. */
    public String risk(String algorithm) {
        for (Map.Entry<String, String> known : kmsRisks.entrySet()) {
            if (known.getKey().equalsIgnoreCase(algorithm)) {
                return known.getValue();
            }
        }
        return byFamily(algorithm);
    }

    /** Quantum-resistant, as kms-service counts it: the algorithm's quantum risk is low. */
    public boolean quantumResistant(@Nullable String algorithm) {
        return algorithm != null && LOW.equals(risk(algorithm));
    }

    // Shor's algorithm breaks RSA, finite-field and elliptic-curve schemes (high); Grover halves a symmetric key's
    // strength (AES-128 medium, AES-256 low); the NIST post-quantum standards are low. Unknown: not counted as safe.
    private static String byFamily(String algorithm) {
        String a = algorithm.toUpperCase(Locale.ROOT);
        if (a.startsWith("ML-KEM") || a.startsWith("ML-DSA") || a.startsWith("SLH-DSA") || a.startsWith("AES-256")) {
            return LOW;
        }
        if (a.startsWith("AES-128") || a.startsWith("AES-192")) {
            return "medium";
        }
        return "high";
    }
}
