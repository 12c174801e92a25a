package io.qnsp.cryptoinventory.readiness;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The counts a PQC readiness score is computed from, so that a recommendation's impact is the same computation over
 * the counts as they would be once it is carried out.
 *
 * @param kmsScore            kms-service's own migration readiness score, as it reported it; null for a
 *                            what-if, where the key management figure is computed from the counts by the same rule
 * @param kmsKeys             the tenant's kms keys (kms-service's migration readiness total)
 * @param kmsMigrated         those with a quantum-resistant current version
 * @param assets              inventory assets that use an algorithm (kms keys, signing keys, TLS certificates)
 * @param resistantAssets     those whose algorithm is quantum-resistant
 * @param devices             registered hardware devices
 * @param readyDevices        those implementing a post-quantum algorithm whose latest health check did not fail
 * @param vulnerableAlgorithms quantum-vulnerable algorithms the inventory uses
 * @param coveredAlgorithms   those a deprecation policy covers with a quantum-resistant migration target
 */
record ReadinessFacts(@Nullable Double kmsScore, long kmsKeys, long kmsMigrated, long assets, long resistantAssets, long devices,
                      long readyDevices, long vulnerableAlgorithms, long coveredAlgorithms) {

    static final double KEY_MANAGEMENT_WEIGHT = 0.40;
    static final double ALGORITHMS_WEIGHT = 0.30;
    static final double HARDWARE_WEIGHT = 0.15;
    static final double POLICIES_WEIGHT = 0.15;

    double keyManagement() {
        return kmsScore != null ? kmsScore : share(kmsMigrated, kmsKeys);
    }

    double algorithms() {
        return share(resistantAssets, assets);
    }

    double hardware() {
        return share(readyDevices, devices);
    }

    double policies() {
        return share(coveredAlgorithms, vulnerableAlgorithms);
    }

    double overall() {
        return round(KEY_MANAGEMENT_WEIGHT * keyManagement() + ALGORITHMS_WEIGHT * algorithms()
                + HARDWARE_WEIGHT * hardware() + POLICIES_WEIGHT * policies());
    }

    ReadinessFacts withKmsMigrated(long more) {
        return new ReadinessFacts(null, kmsKeys, kmsMigrated + more, assets, resistantAssets + more, devices,
                readyDevices, vulnerableAlgorithms, coveredAlgorithms);
    }

    ReadinessFacts withResistantAssets(long more) {
        return new ReadinessFacts(kmsScore, kmsKeys, kmsMigrated, assets, resistantAssets + more, devices, readyDevices,
                vulnerableAlgorithms, coveredAlgorithms);
    }

    ReadinessFacts withReadyDevices(long more) {
        return new ReadinessFacts(kmsScore, kmsKeys, kmsMigrated, assets, resistantAssets, devices, readyDevices + more,
                vulnerableAlgorithms, coveredAlgorithms);
    }

    ReadinessFacts withCoveredAlgorithms(long more) {
        return new ReadinessFacts(kmsScore, kmsKeys, kmsMigrated, assets, resistantAssets, devices, readyDevices,
                vulnerableAlgorithms, coveredAlgorithms + more);
    }

    /** part ÷ whole × 100 with one decimal; 100 when there is nothing to count (as kms-service counts no keys). */
    static double share(long part, long whole) {
        return whole == 0 ? 100.0 : round(100.0 * part / whole);
    }

    static double round(double value) {
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).doubleValue();
    }

    static String grade(double score) {
        if (score >= 90) {
            return "A";
        }
        if (score >= 80) {
            return "B";
        }
        if (score >= 70) {
            return "C";
        }
        if (score >= 60) {
            return "D";
        }
        return "F";
    }
}
