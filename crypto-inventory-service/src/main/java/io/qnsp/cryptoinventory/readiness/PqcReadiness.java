package io.qnsp.cryptoinventory.readiness;

import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.qnsp.cryptoinventory.deprecation.DeprecationManagement;
import io.qnsp.cryptoinventory.deprecation.DeprecationPolicy;
import io.qnsp.cryptoinventory.hardware.HardwareManagement;
import io.qnsp.cryptoinventory.inventory.AlgorithmClassification;
import io.qnsp.cryptoinventory.inventory.CryptoAsset;
import io.qnsp.cryptoinventory.inventory.CryptoInventory;
import io.qnsp.cryptoinventory.inventory.Inventory;
import org.springframework.stereotype.Service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The tenant's post-quantum readiness, computed from its inventory when asked: a score in four categories and the
 * recommendations that would raise it, each with the score points it would add.
 */
@Service
public class PqcReadiness {

    static final Duration CERTIFICATE_RENEWAL_WINDOW = Duration.ofDays(30);
    private static final List<String> PRIORITIES = List.of("high", "medium", "low");

    private final CryptoInventory inventory;
    private final DeprecationManagement deprecation;
    private final HardwareManagement hardware;

    PqcReadiness(CryptoInventory inventory, DeprecationManagement deprecation, HardwareManagement hardware) {
        this.inventory = inventory;
        this.deprecation = deprecation;
        this.hardware = hardware;
    }

    public record Categories(double keyManagement, double algorithms, double hardware, double policies) {
    }

    public record Score(double overallScore, String grade, Categories categories, Instant calculatedAt) {
    }

    public record Recommendation(String priority, String category, String title, String description, double impact,
                                 String effort) {
    }

    public Score score(Caller caller) {
        Assessment assessment = assess(caller);
        ReadinessFacts facts = assessment.facts();
        double overall = facts.overall();
        return new Score(overall, ReadinessFacts.grade(overall), new Categories(facts.keyManagement(),
                facts.algorithms(), facts.hardware(), facts.policies()), assessment.inventory().takenAt());
    }

    public List<Recommendation> recommendations(Caller caller) {
        Assessment a = assess(caller);
        ReadinessFacts facts = a.facts();
        AlgorithmClassification classes = a.inventory().classification();
        List<Recommendation> recommendations = new ArrayList<>();

        // kms keys still on a quantum-vulnerable algorithm, grouped as kms-service's readiness report groups them
        Map<String, List<CryptoAsset>> enabled = new LinkedHashMap<>();
        Map<String, List<CryptoAsset>> blocked = new LinkedHashMap<>();
        for (CryptoAsset key : a.inventory().ofType(CryptoAsset.KMS_KEY)) {
            if (classes.quantumResistant(key.algorithm())) {
                continue;
            }
            String group = key.algorithm() + " " + (key.category() == null ? "encryption" : key.category());
            ("enabled".equals(key.state()) ? enabled : blocked).computeIfAbsent(group, g -> new ArrayList<>()).add(key);
        }
        enabled.forEach((group, keys) -> {
            CryptoAsset first = keys.getFirst();
            boolean signing = "signing".equals(first.category());
            String target = signing ? "ML-DSA-65" : "ML-KEM-768";
            recommendations.add(new Recommendation(signing ? "medium" : "high", "keyManagement",
                    "Rotate " + count(keys.size(), first.algorithm() + " " + category(first) + " key") + " to "
                            + target,
                    (signing ? "Signatures made with these keys can be forged once a large quantum computer exists. "
                            : "Data encrypted under these keys can be recorded now and decrypted later "
                            + "(harvest now, decrypt later). ")
                            + "A rotation to " + target + " at kms-service keeps the older versions, so existing "
                            + "ciphertexts and signatures stay usable: " + names(keys) + ".",
                    impact(facts, facts.withKmsMigrated(keys.size())), effort(keys.size())));
        });
        blocked.forEach((group, keys) -> {
            CryptoAsset first = keys.getFirst();
            recommendations.add(new Recommendation("medium", "keyManagement",
                    "Enable or retire " + count(keys.size(), "blocked " + first.algorithm() + " key"),
                    "These keys are disabled or pending deletion, so kms-service refuses to rotate them to a "
                            + "post-quantum algorithm: enable them and rotate, or let them be deleted: "
                            + names(keys) + ".",
                    impact(facts, facts.withKmsMigrated(keys.size())), effort(keys.size())));
        });

        // the platform's token signing keys and TLS certificates
        Map<String, List<CryptoAsset>> signingKeys = byAlgorithm(a.inventory().ofType(CryptoAsset.SIGNING_KEY), classes);
        signingKeys.forEach((algorithm, keys) -> recommendations.add(new Recommendation("medium", "algorithms",
                "Move token signing from " + algorithm + " to a post-quantum signature",
                "auth-service signs every access token with " + count(keys.size(), algorithm + " key") + " ("
                        + names(keys) + "); a forged token would be accepted by every service. Plan ML-DSA "
                        + "signatures (or a hybrid) once the token's verifiers support them.",
                impact(facts, facts.withResistantAssets(keys.size())), "high")));
        Instant now = a.inventory().takenAt();
        Map<String, List<CryptoAsset>> certificates = byAlgorithm(
                a.inventory().ofType(CryptoAsset.TLS_CERTIFICATE), classes);
        certificates.forEach((algorithm, certs) -> {
            Instant soonest = certs.stream().map(CryptoAsset::expiresAt).filter(java.util.Objects::nonNull)
                    .min(Comparator.naturalOrder()).orElse(null);
            boolean renewSoon = soonest != null && soonest.isBefore(now.plus(CERTIFICATE_RENEWAL_WINDOW));
            recommendations.add(new Recommendation(renewSoon ? "high" : "medium", "algorithms",
                    "Reissue " + count(certs.size(), algorithm + " TLS certificate") + " with a post-quantum or "
                            + "hybrid key",
                    "Key exchanges authenticated by these certificates rely on " + algorithm + ": " + names(certs)
                            + (soonest == null ? "." : (renewSoon ? "; the first expires on " : "; the first "
                            + "renewal is due on ") + soonest + "."),
                    impact(facts, facts.withResistantAssets(certs.size())), "medium"));
        });

        // quantum-vulnerable algorithms no policy retires
        for (String algorithm : a.uncovered()) {
            String target = algorithm.toUpperCase(Locale.ROOT).startsWith("EC") ? "ML-DSA-65" : "ML-KEM-768";
            recommendations.add(new Recommendation("medium", "policies",
                    "Create a deprecation policy for " + algorithm,
                    algorithm + " is quantum-vulnerable and in use, but no deprecation policy names it with a "
                            + "quantum-resistant migration target (e.g. " + target + "); NIST IR 8547 deprecates "
                            + "such algorithms after 2030.",
                    impact(facts, facts.withCoveredAlgorithms(1)), "low"));
        }

        // hardware
        List<HardwareManagement.DeviceStatus> failed = a.devices().stream()
                .filter(d -> "failed".equals(d.status())).toList();
        if (!failed.isEmpty()) {
            long gain = failed.stream().filter(d -> postQuantum(d.device().capabilities())).count();
            recommendations.add(new Recommendation("high", "hardware",
                    "Repair or replace " + count(failed.size(), "failed device"),
                    "The latest health check of these devices failed: " + failed.stream()
                            .map(d -> d.device().name()).toList() + ".",
                    impact(facts, facts.withReadyDevices(gain)), "medium"));
        }
        List<HardwareManagement.DeviceStatus> classical = a.devices().stream()
                .filter(d -> !postQuantum(d.device().capabilities())).toList();
        if (!classical.isEmpty()) {
            long gain = classical.stream().filter(d -> !"failed".equals(d.status())).count();
            recommendations.add(new Recommendation("low", "hardware",
                    "Upgrade " + count(classical.size(), "device") + " to post-quantum algorithms",
                    "These devices list no post-quantum algorithm (ML-KEM, ML-DSA, SLH-DSA) among their "
                            + "capabilities; a firmware update or a replacement adds them: " + classical.stream()
                            .map(d -> d.device().name()).toList() + ".",
                    impact(facts, facts.withReadyDevices(gain)), "high"));
        }
        List<CryptoAsset> brokenHsms = a.inventory().ofType(CryptoAsset.HSM_CONNECTION).stream()
                .filter(c -> "error".equals(c.state())).toList();
        if (!brokenHsms.isEmpty()) {
            recommendations.add(new Recommendation("high", "hardware",
                    "Restore " + count(brokenHsms.size(), "BYOHSM connection") + " in error",
                    "kms-service reports these HSM connections in error; keys held in them cannot be used: "
                            + names(brokenHsms) + ".", 0.0, "medium"));
        }

        recommendations.sort(Comparator.comparingInt((Recommendation r) -> PRIORITIES.indexOf(r.priority()))
                .thenComparing(Comparator.comparingDouble(Recommendation::impact).reversed())
                .thenComparing(Recommendation::title));
        return recommendations;
    }

    private record Assessment(Inventory inventory, List<HardwareManagement.DeviceStatus> devices,
                              List<String> uncovered, ReadinessFacts facts) {
    }

    private Assessment assess(Caller caller) {
        String tenant = TenantRequired.tenantOf(caller);
        Inventory inv = inventory.take(caller);
        AlgorithmClassification classes = inv.classification();
        List<CryptoAsset> withAlgorithm = inv.withAlgorithm();
        long resistant = withAlgorithm.stream().filter(asset -> classes.quantumResistant(asset.algorithm())).count();
        List<HardwareManagement.DeviceStatus> devices = hardware.devices(tenant);
        long ready = devices.stream().filter(d -> !"failed".equals(d.status())
                && postQuantum(d.device().capabilities())).count();
        Set<String> vulnerable = new LinkedHashSet<>();
        withAlgorithm.stream().map(CryptoAsset::algorithm).filter(alg -> !classes.quantumResistant(alg))
                .forEach(vulnerable::add);
        List<DeprecationPolicy> policies = deprecation.policies(tenant);
        List<String> uncovered = vulnerable.stream().filter(alg -> policies.stream().noneMatch(p ->
                p.covering(alg) != null && classes.quantumResistant(p.migrationTarget()))).toList();
        ReadinessFacts facts = new ReadinessFacts(inv.kms().overallScore(), inv.kms().total(), inv.kms().migrated(),
                withAlgorithm.size(), resistant, devices.size(), ready, vulnerable.size(),
                vulnerable.size() - uncovered.size());
        return new Assessment(inv, devices, uncovered, facts);
    }

    /** A device is post-quantum capable when it implements one of the NIST post-quantum standards. */
    static boolean postQuantum(List<String> capabilities) {
        return capabilities.stream().map(c -> c.toUpperCase(Locale.ROOT))
                .anyMatch(c -> c.startsWith("ML-KEM") || c.startsWith("ML-DSA") || c.startsWith("SLH-DSA"));
    }

    private static Map<String, List<CryptoAsset>> byAlgorithm(List<CryptoAsset> assets,
                                                              AlgorithmClassification classes) {
        Map<String, List<CryptoAsset>> grouped = new LinkedHashMap<>();
        for (CryptoAsset asset : assets) {
            if (!classes.quantumResistant(asset.algorithm())) {
                grouped.computeIfAbsent(asset.algorithm(), g -> new ArrayList<>()).add(asset);
            }
        }
        return grouped;
    }

    private static double impact(ReadinessFacts now, ReadinessFacts after) {
        return ReadinessFacts.round(Math.max(0, after.overall() - now.overall()));
    }

    private static String effort(int items) {
        return items <= 5 ? "low" : items <= 50 ? "medium" : "high";
    }

    private static String category(CryptoAsset key) {
        return key.category() == null ? "encryption" : key.category().replace('_', ' ');
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String names(List<CryptoAsset> assets) {
        List<String> names = assets.stream().limit(10).map(CryptoAsset::name).toList();
        return String.join(", ", names) + (assets.size() > 10 ? " and " + (assets.size() - 10) + " more" : "");
    }
}
