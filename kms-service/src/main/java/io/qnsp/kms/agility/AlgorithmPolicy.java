package io.qnsp.kms.agility;

import io.qnsp.kms.key.Key;
import io.qnsp.kms.key.KeyAlgorithm;
import io.qnsp.kms.key.KeyUsage;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The transition policy every agility report applies: for each algorithm, its quantum risk and the dates after
 * which it is deprecated and disallowed. Sources: NIST SP 800-131A Rev.2 (and the Rev.3 draft), NIST IR 8547
 * (initial public draft, Nov 2024: quantum-vulnerable RSA and ECC deprecated after 2030, disallowed after 2035),
 * FIPS 203/204 (ML-KEM, ML-DSA) and the NSA's CNSA 2.0 timeline (quantum-resistant algorithms exclusively by
 * 2030-2033). We apply the deprecation date of IR 8547 to RSA-3072 and P-256 too, although the draft only deprecates
 * the 112-bit sizes in 2030, so that migrations start while CNSA 2.0 systems are already moving off them.
 */
public final class AlgorithmPolicy {

    /** An encryption key is long-lived when its current version is older than this, or it was never rotated. */
    public static final Duration LONG_LIVED = Duration.ofDays(90);

    /**
     * The longest cryptoperiod of a key version before the compliance reports ask for a rotation: the lower end of
     * NIST SP 800-57 Part 1 Rev.5 §5.3.6 (1-2 years for symmetric data-encryption keys, 1-3 years for private
     * signature keys).
     */
    public static final Duration MAX_CRYPTOPERIOD = Duration.ofDays(365);

    /** Deprecated from this day on (NIST IR 8547: "deprecated after 2030"). */
    static final LocalDate QUANTUM_VULNERABLE_DEPRECATED = LocalDate.of(2031, 1, 1);
    /** Disallowed from this day on (NIST IR 8547: "disallowed after 2035"). */
    static final LocalDate QUANTUM_VULNERABLE_DISALLOWED = LocalDate.of(2036, 1, 1);

    /**
     * One row of the policy.
     *
     * @param category         the reports' category: encryption, signing or key_exchange (RSA-3072 under its
     *                         default use, encryption)
     * @param recommended      whether, before any deprecation, new keys should use it (else it is acceptable)
     * @param deprecatedFrom   the first day it is deprecated, {@code null} for never
     * @param disallowedFrom   the first day it is forbidden, {@code null} for never
     * @param fipsApproved     approved for use in a FIPS 140-3 module (SP 800-140C)
     */
    public record Entry(String algorithm, String category, QuantumRisk quantumRisk, boolean recommended,
                        @Nullable LocalDate deprecatedFrom, @Nullable LocalDate disallowedFrom, boolean fipsApproved,
                        String timeToQuantumThreat, String recommendation, String sources) {

        public AlgorithmStatus status(LocalDate today) {
            if (disallowedFrom != null && !today.isBefore(disallowedFrom)) {
                return AlgorithmStatus.FORBIDDEN;
            }
            if (deprecatedFrom != null && !today.isBefore(deprecatedFrom)) {
                return AlgorithmStatus.DEPRECATED;
            }
            return recommended ? AlgorithmStatus.RECOMMENDED : AlgorithmStatus.ACCEPTABLE;
        }

        /** The risk today: a quantum-breakable algorithm still in use after it was disallowed is critical. */
        public QuantumRisk risk(LocalDate today) {
            return status(today) == AlgorithmStatus.FORBIDDEN && quantumRisk == QuantumRisk.HIGH
                    ? QuantumRisk.CRITICAL : quantumRisk;
        }

        /** Whether a quantum computer leaves it secure (AES-256, ML-KEM, ML-DSA). */
        public boolean quantumResistant() {
            return quantumRisk == QuantumRisk.LOW;
        }
    }

    private static final String SHOR = "Shor's algorithm breaks it outright once a cryptographically relevant "
            + "quantum computer exists; NIST IR 8547 deprecates it after 2030 and disallows it after 2035";

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        add(new Entry("AES-256-GCM", "encryption", QuantumRisk.LOW, true, null, null, true,
                "none known: Grover's search leaves about 128 bits of security",
                "Keep: AES-256 is also the CNSA 2.0 symmetric algorithm",
                "NIST SP 800-131A Rev.2 (AES approved), SP 800-38D (GCM), CNSA 2.0"));
        add(new Entry("AES-128", "encryption", QuantumRisk.MEDIUM, false, null, null, true,
                "no deadline set: Grover's search halves it to about 64 bits of security",
                "Use AES-256 for data that must stay confidential for decades (CNSA 2.0 requires it)",
                "NIST SP 800-131A Rev.2, NIST IR 8547, CNSA 2.0"));
        add(new Entry("RSA-3072", "encryption", QuantumRisk.HIGH, false, QUANTUM_VULNERABLE_DEPRECATED,
                QUANTUM_VULNERABLE_DISALLOWED, true, SHOR,
                "Rotate encryption keys to ML-KEM-768 and signing keys to ML-DSA-65",
                "NIST SP 800-131A Rev.2, SP 800-56B Rev.2, FIPS 186-5, NIST IR 8547"));
        add(new Entry("EC-P256", "signing", QuantumRisk.HIGH, false, QUANTUM_VULNERABLE_DEPRECATED,
                QUANTUM_VULNERABLE_DISALLOWED, true, SHOR, "Rotate to ML-DSA-65",
                "NIST SP 800-131A Rev.2, FIPS 186-5, NIST IR 8547"));
        add(new Entry("ML-KEM-768", "key_exchange", QuantumRisk.LOW, true, null, null, true,
                "none known: module-lattice key encapsulation",
                "Keep; national-security systems under CNSA 2.0 need ML-KEM-1024", "FIPS 203, NIST IR 8547"));
        add(new Entry("ML-DSA-65", "signing", QuantumRisk.LOW, true, null, null, true,
                "none known: module-lattice signatures",
                "Keep; national-security systems under CNSA 2.0 need ML-DSA-87", "FIPS 204, NIST IR 8547"));
    }

    private AlgorithmPolicy() {
    }

    private static void add(Entry entry) {
        ENTRIES.put(entry.algorithm(), entry);
    }

    /** Every row, the service's key algorithms and AES-128 (the data keys it hands out). */
    public static List<Entry> entries() {
        return List.copyOf(ENTRIES.values());
    }

    public static Entry of(KeyAlgorithm algorithm) {
        return ENTRIES.get(algorithm.apiName());
    }

    /** The row of an algorithm name as the operation log spells it, {@code null} when the policy has none. */
    static @Nullable Entry of(String algorithm) {
        return ENTRIES.get(algorithm);
    }

    /** The algorithm a quantum-vulnerable key should be rotated to: signing keys to ML-DSA-65, others to ML-KEM-768. */
    static KeyAlgorithm migrationTarget(Key key) {
        return key.usage() == KeyUsage.SIGN_VERIFY ? KeyAlgorithm.ML_DSA_65 : KeyAlgorithm.ML_KEM_768;
    }
}
