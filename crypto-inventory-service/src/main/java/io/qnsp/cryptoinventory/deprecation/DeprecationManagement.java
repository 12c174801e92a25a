package io.qnsp.cryptoinventory.deprecation;

import io.qnsp.cryptoinventory.inventory.CryptoAsset;
import io.qnsp.cryptoinventory.inventory.Inventory;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Deprecation policies and what they mean for a tenant's inventory, computed when asked. */
@Service
public class DeprecationManagement {

    private final DeprecationPolicies policies;
    private final Clock clock;

    DeprecationManagement(DeprecationPolicies policies, Clock clock) {
        this.policies = policies;
        this.clock = clock;
    }

    public record NewPolicy(String name, List<String> algorithms, Instant deprecationDate, Instant enforcementDate,
                            @Nullable String migrationTarget, List<String> notificationSchedule) {
    }

    public DeprecationPolicy create(String tenantId, NewPolicy p) {
        DeprecationPolicy policy = new DeprecationPolicy(UUID.randomUUID(), tenantId, p.name(), p.algorithms(),
                p.deprecationDate(), p.enforcementDate(), p.migrationTarget(), p.notificationSchedule(),
                clock.instant());
        if (!policies.insert(policy)) {
            throw new PolicyNameTaken(p.name());
        }
        return policy;
    }

    public List<DeprecationPolicy> policies(String tenantId) {
        return policies.of(tenantId);
    }

    /** One row per policy and asset it covers, by policy (oldest first), then in inventory order. */
    public List<AffectedAsset> affectedAssets(String tenantId, Inventory inventory) {
        List<AffectedAsset> affected = new ArrayList<>();
        for (DeprecationPolicy policy : policies.of(tenantId)) {
            for (CryptoAsset asset : inventory.withAlgorithm()) {
                AffectedAsset row = affected(policy, asset);
                if (row != null) {
                    affected.add(row);
                }
            }
        }
        return affected;
    }

    private static @Nullable AffectedAsset affected(DeprecationPolicy policy, CryptoAsset asset) {
        if (policy.covering(asset.algorithm()) != null) {
            String status = "pending_deletion".equals(asset.state()) ? AffectedAsset.IN_PROGRESS
                    : AffectedAsset.PENDING;
            return new AffectedAsset(asset.assetId(), asset.assetType(), asset.algorithm(),
                    policy.policyId().toString(), policy.deprecationDate(), status);
        }
        for (String former : asset.formerAlgorithms()) {
            if (policy.covering(former) != null) {
                return new AffectedAsset(asset.assetId(), asset.assetType(), former, policy.policyId().toString(),
                        policy.deprecationDate(), AffectedAsset.COMPLETED);
            }
        }
        return null;
    }

    public record Deadline(String policyId, String algorithm, Instant deadline, long affectedAssets) {
    }

    public record Summary(long totalAffectedAssets, Map<String, Long> byAlgorithm, List<Deadline> upcomingDeadlines) {
    }

    /**
     * What is left to migrate: assets still on a covered algorithm (each counted once, however many policies cover
     * it), per algorithm, and each policy entry's next date (deprecation, then enforcement) still ahead.
     */
    public Summary summary(String tenantId, Inventory inventory) {
        List<DeprecationPolicy> all = policies.of(tenantId);
        Set<String> outstanding = new LinkedHashSet<>();
        Map<String, Set<String>> byAlgorithm = new LinkedHashMap<>();
        List<Deadline> deadlines = new ArrayList<>();
        Instant now = clock.instant();
        for (DeprecationPolicy policy : all) {
            Map<String, Long> perEntry = new LinkedHashMap<>();
            policy.algorithms().forEach(entry -> perEntry.put(entry, 0L));
            for (CryptoAsset asset : inventory.withAlgorithm()) {
                AffectedAsset row = affected(policy, asset);
                if (row == null || !row.outstanding()) {
                    continue;
                }
                outstanding.add(asset.assetId());
                byAlgorithm.computeIfAbsent(asset.algorithm(), a -> new LinkedHashSet<>()).add(asset.assetId());
                perEntry.merge(policy.covering(asset.algorithm()), 1L, Long::sum);
            }
            Instant next = policy.deprecationDate().isAfter(now) ? policy.deprecationDate()
                    : policy.enforcementDate().isAfter(now) ? policy.enforcementDate() : null;
            if (next != null) {
                perEntry.forEach((entry, count) -> deadlines.add(new Deadline(policy.policyId().toString(), entry,
                        next, count)));
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        byAlgorithm.forEach((algorithm, assets) -> counts.put(algorithm, (long) assets.size()));
        deadlines.sort(Comparator.comparing(Deadline::deadline).thenComparing(Deadline::algorithm));
        return new Summary(outstanding.size(), counts, deadlines);
    }
}
