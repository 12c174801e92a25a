package io.qnsp.kms.agility;

import io.qnsp.common.error.InvalidField;
import io.qnsp.kms.key.Key;
import io.qnsp.kms.key.KeyAlgorithm;
import io.qnsp.kms.key.KeyManagement;
import io.qnsp.kms.key.KeyManagement.KeyDetails;
import io.qnsp.kms.key.KeyState;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The crypto-agility reports, each computed on request from the tenant's key inventory (keys, their versions and
 * rotations) and its operation log, judged by the {@link AlgorithmPolicy}.
 */
@Service
public class CryptoAgility {

    public static final int DEFAULT_TREND_DAYS = 30;
    public static final int MAX_TREND_DAYS = 365;
    static final List<String> CATEGORIES = List.of("encryption", "signing", "key_exchange");

    private final KeyManagement keys;
    private final OperationStatistics operations;
    private final Clock clock;

    CryptoAgility(KeyManagement keys, OperationStatistics operations) {
        this.keys = keys;
        this.operations = operations;
        this.clock = Clock.systemUTC();
    }

    // ---- algorithm usage ----

    public record AlgorithmUsage(String algorithm,
                                 @Schema(description = "encryption, signing or key_exchange") String category,
                                 @Schema(description = "successful operations with it, ever") long usageCount,
                                 @Schema(description = "keys whose current version uses it") long keyCount,
                                 @Nullable Instant lastUsedAt, AlgorithmStatus status) {
    }

    public record AlgorithmUsageSummary(
            @Schema(description = "share of the keys whose current version is post-quantum (ML-KEM, ML-DSA), 0 to 1")
            double pqcAdoptionRate,
            @Schema(description = "share of the successful operations that used a quantum-vulnerable algorithm "
                    + "(RSA, ECC), 0 to 1") double legacyAlgorithmUsage) {
    }

    public record AlgorithmUsageReport(List<AlgorithmUsage> algorithms, AlgorithmUsageSummary summary) {
    }

    public AlgorithmUsageReport algorithmUsage(String tenantId) {
        LocalDate today = today();
        List<Key> inventory = keys.inventory(tenantId);
        Map<String, OperationStatistics.AlgorithmCount> used = new HashMap<>();
        operations.byAlgorithm(tenantId).forEach(count -> used.put(count.algorithm(), count));
        List<AlgorithmUsage> rows = new ArrayList<>();
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            AlgorithmPolicy.Entry policy = AlgorithmPolicy.of(algorithm);
            OperationStatistics.AlgorithmCount count = used.get(algorithm.apiName());
            rows.add(new AlgorithmUsage(algorithm.apiName(), policy.category(), count == null ? 0 : count.operations(),
                    inventory.stream().filter(key -> key.algorithm() == algorithm).count(),
                    count == null ? null : count.lastUsedAt(), policy.status(today)));
        }
        long pqcKeys = inventory.stream().filter(key -> key.algorithm().postQuantum()).count();
        long allOperations = used.values().stream().mapToLong(OperationStatistics.AlgorithmCount::operations).sum();
        long legacyOperations = used.values().stream().filter(count -> {
            AlgorithmPolicy.Entry policy = AlgorithmPolicy.of(count.algorithm());
            return policy != null && policy.quantumRisk().compareTo(QuantumRisk.HIGH) >= 0;
        }).mapToLong(OperationStatistics.AlgorithmCount::operations).sum();
        return new AlgorithmUsageReport(rows, new AlgorithmUsageSummary(ratio(pqcKeys, inventory.size()),
                ratio(legacyOperations, allOperations)));
    }

    // ---- migration readiness ----

    public enum Readiness {
        READY, PARTIAL, NOT_READY;

        @com.fasterxml.jackson.annotation.JsonValue
        public String apiName() {
            return name().toLowerCase();
        }
    }

    public record ReadinessCategory(@Schema(description = "encryption, signing or key_exchange") String category,
                                    @Schema(description = "share of the category's keys that are quantum-resistant, "
                                            + "0 to 100 (100 without keys)") double score,
                                    Readiness status, List<String> blockers, List<String> recommendations) {
    }

    public record KeyMigrationStatus(long total,
                                     @Schema(description = "keys whose current version is quantum-resistant")
                                     long migrated,
                                     @Schema(description = "enabled quantum-vulnerable keys, which a rotation moves")
                                     long pendingMigration,
                                     @Schema(description = "quantum-vulnerable keys that are disabled or pending "
                                             + "deletion: a rotation refuses them") long blocked) {
    }

    public record MigrationReadiness(@Schema(description = "0 to 100") double overallScore,
                                     List<ReadinessCategory> categories, KeyMigrationStatus keyMigrationStatus) {
    }

    public MigrationReadiness migrationReadiness(String tenantId) {
        List<Key> inventory = keys.inventory(tenantId);
        List<ReadinessCategory> categories = new ArrayList<>();
        for (String category : CATEGORIES) {
            List<Key> inCategory = inventory.stream().filter(key -> key.category().equals(category)).toList();
            long safe = inCategory.stream().filter(CryptoAgility::quantumResistant).count();
            List<String> blockers = new ArrayList<>();
            Map<String, Long> toRotate = new TreeMap<>();
            for (Key key : inCategory) {
                if (quantumResistant(key)) {
                    continue;
                }
                if (key.state() != KeyState.ENABLED) {
                    blockers.add(name(key) + " is " + key.state().apiName() + ": it cannot be rotated to "
                            + AlgorithmPolicy.migrationTarget(key).apiName() + " until it is enabled");
                } else {
                    toRotate.merge(key.algorithm().apiName() + " to "
                            + AlgorithmPolicy.migrationTarget(key).apiName(), 1L, Long::sum);
                }
            }
            List<String> recommendations = new ArrayList<>();
            toRotate.forEach((move, count) -> recommendations.add("Rotate " + count + " key(s) from " + move
                    + " (POST /kms/v1/keys/{keyId}/rotate with the algorithm)"));
            double score = inCategory.isEmpty() ? 100 : percent(safe, inCategory.size());
            Readiness status = safe == inCategory.size() ? Readiness.READY
                    : safe == 0 ? Readiness.NOT_READY : Readiness.PARTIAL;
            categories.add(new ReadinessCategory(category, score, status, blockers, recommendations));
        }
        long migrated = inventory.stream().filter(CryptoAgility::quantumResistant).count();
        long blocked = inventory.stream().filter(key -> !quantumResistant(key) && key.state() != KeyState.ENABLED)
                .count();
        long pending = inventory.size() - migrated - blocked;
        return new MigrationReadiness(inventory.isEmpty() ? 100 : percent(migrated, inventory.size()), categories,
                new KeyMigrationStatus(inventory.size(), migrated, pending, blocked));
    }

    // ---- PQC adoption ----

    public record CurrentAdoption(long pqcKeys, long totalKeys,
                                  @Schema(description = "pqcKeys / totalKeys, 0 to 1") double adoptionRate) {
    }

    public record AdoptionTrend(@Schema(description = "the UTC day, YYYY-MM-DD") String date, long pqcOperations,
                                long classicalOperations) {
    }

    public record PqcAdoption(CurrentAdoption currentAdoption,
                              @Schema(description = "one entry per UTC day of the period, oldest first")
                              List<AdoptionTrend> trends,
                              @Schema(description = "keys whose current version uses each post-quantum algorithm")
                              Map<String, Long> byAlgorithm) {
    }

    /** @param days the trend's length in days, today included: 1 to {@value #MAX_TREND_DAYS} */
    public PqcAdoption pqcAdoption(String tenantId, @Nullable Integer days) {
        int period = days == null ? DEFAULT_TREND_DAYS : days;
        if (period < 1 || period > MAX_TREND_DAYS) {
            throw new InvalidField("days", "must be between 1 and " + MAX_TREND_DAYS);
        }
        List<Key> inventory = keys.inventory(tenantId);
        Map<String, Long> byAlgorithm = new LinkedHashMap<>();
        for (KeyAlgorithm algorithm : KeyAlgorithm.values()) {
            if (algorithm.postQuantum()) {
                byAlgorithm.put(algorithm.apiName(),
                        inventory.stream().filter(key -> key.algorithm() == algorithm).count());
            }
        }
        long pqcKeys = byAlgorithm.values().stream().mapToLong(Long::longValue).sum();
        LocalDate first = today().minusDays(period - 1L);
        Map<LocalDate, long[]> perDay = new TreeMap<>();
        for (int i = 0; i < period; i++) {
            perDay.put(first.plusDays(i), new long[2]);
        }
        for (OperationStatistics.DailyCount count : operations.daily(tenantId,
                first.atStartOfDay(ZoneOffset.UTC).toInstant())) {
            long[] day = perDay.get(count.day());
            if (day != null) {
                KeyAlgorithm algorithm = KeyAlgorithm.fromApiName(count.algorithm());
                day[algorithm != null && algorithm.postQuantum() ? 0 : 1] += count.operations();
            }
        }
        List<AdoptionTrend> trends = new ArrayList<>();
        perDay.forEach((day, counts) -> trends.add(new AdoptionTrend(day.toString(), counts[0], counts[1])));
        return new PqcAdoption(new CurrentAdoption(pqcKeys, inventory.size(), ratio(pqcKeys, inventory.size())),
                trends, byAlgorithm);
    }

    // ---- compliance ----

    public ComplianceFramework.Report compliance(String tenantId, @Nullable String framework) {
        ComplianceFramework chosen = ComplianceFramework.named(framework);
        return chosen.report(keys.inventoryWithVersions(tenantId), clock.instant());
    }

    // ---- quantum risk ----

    public record AlgorithmRisk(String algorithm, QuantumRisk quantumRisk, String timeToQuantumThreat,
                                String recommendation,
                                @Schema(description = "keys whose current version uses it") long affectedKeys) {
    }

    public record RiskSummary(
            @Schema(description = "a long-lived encryption key (current version older than 90 days, or never "
                    + "rotated) uses RSA or ECC: what it protects can be recorded now and decrypted later")
            boolean harvestNowDecryptLater,
            @Schema(description = "every key that encrypts has a quantum-resistant current version")
            boolean longTermDataProtection) {
    }

    public record RiskAssessment(QuantumRisk overallRisk, List<AlgorithmRisk> algorithms, RiskSummary assessment) {
    }

    public RiskAssessment riskAssessment(String tenantId) {
        LocalDate today = today();
        Instant now = clock.instant();
        List<KeyDetails> inventory = keys.inventoryWithVersions(tenantId);
        List<AlgorithmRisk> rows = new ArrayList<>();
        QuantumRisk overall = QuantumRisk.LOW;
        for (AlgorithmPolicy.Entry entry : AlgorithmPolicy.entries()) {
            long affected = inventory.stream().filter(details -> details.key().algorithm().apiName()
                    .equals(entry.algorithm())).count();
            rows.add(new AlgorithmRisk(entry.algorithm(), entry.risk(today), entry.timeToQuantumThreat(),
                    entry.recommendation(), affected));
            if (affected > 0) {
                overall = overall.max(entry.risk(today));
            }
        }
        boolean harvestable = inventory.stream().anyMatch(details -> encrypts(details.key())
                && !quantumResistant(details.key()) && longLived(details, now));
        boolean protectedLongTerm = inventory.stream().filter(details -> encrypts(details.key()))
                .allMatch(details -> quantumResistant(details.key()));
        if (harvestable) {
            // what is encrypted today is exposed the day the computer exists: the deadline has in effect passed
            overall = QuantumRisk.CRITICAL;
        }
        return new RiskAssessment(overall, rows, new RiskSummary(harvestable, protectedLongTerm));
    }

    /** Never rotated, or its current version is older than {@link AlgorithmPolicy#LONG_LIVED}. */
    static boolean longLived(KeyDetails details, Instant now) {
        if (details.key().rotatedAt() == null) {
            return true;
        }
        Instant currentSince = details.versions().stream()
                .filter(version -> version.version() == details.key().currentVersion())
                .map(KeyManagement.VersionInfo::createdAt).findFirst().orElse(details.key().rotatedAt());
        return currentSince.plus(AlgorithmPolicy.LONG_LIVED).isBefore(now);
    }

    static boolean encrypts(Key key) {
        return !key.category().equals("signing");
    }

    static boolean quantumResistant(Key key) {
        return AlgorithmPolicy.of(key.algorithm()).quantumResistant();
    }

    /** How the reports name a key: its id and its name. */
    static String name(Key key) {
        return "key " + key.keyId() + " (" + key.name() + ")";
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** part / whole, 0 to 1 with four decimals; 0 when there is no whole. */
    static double ratio(long part, long whole) {
        return whole == 0 ? 0 : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP)
                .doubleValue();
    }

    /** part / whole, 0 to 100 with one decimal. */
    static double percent(long part, long whole) {
        return whole == 0 ? 0 : BigDecimal.valueOf(part * 100).divide(BigDecimal.valueOf(whole), 1,
                RoundingMode.HALF_UP).doubleValue();
    }
}
