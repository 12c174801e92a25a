package io.qnsp.cryptoinventory.deprecation;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A tenant's decision to retire algorithms: deprecated from {@code deprecationDate}, refused from
 * {@code enforcementDate}, replaced by {@code migrationTarget}.
 *
 * @param notificationSchedule when to remind, as given: ISO 8601 dates or date-times, or durations before the
 *                             deprecation date (e.g. {@code P90D})
 */
public record DeprecationPolicy(UUID policyId, String tenantId, String name, List<String> algorithms,
                                Instant deprecationDate, Instant enforcementDate, @Nullable String migrationTarget,
                                List<String> notificationSchedule, Instant createdAt) {

    public DeprecationPolicy {
        algorithms = List.copyOf(algorithms);
        notificationSchedule = List.copyOf(notificationSchedule);
    }

    /**
     * The policy's entry that covers the asset algorithm, or null: an entry covers the same algorithm (any case)
     * and, named as a family, every size of it ({@code RSA} covers {@code RSA-2048} and {@code RSA-3072}).
     */
    public @Nullable String covering(@Nullable String assetAlgorithm) {
        if (assetAlgorithm == null) {
            return null;
        }
        String asset = assetAlgorithm.toUpperCase(Locale.ROOT);
        for (String entry : algorithms) {
            String e = entry.toUpperCase(Locale.ROOT);
            if (asset.equals(e) || asset.startsWith(e + "-")) {
                return entry;
            }
        }
        return null;
    }
}
