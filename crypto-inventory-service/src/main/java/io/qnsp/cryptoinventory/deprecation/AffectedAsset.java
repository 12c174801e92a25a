package io.qnsp.cryptoinventory.deprecation;

import java.time.Instant;

/**
 * An asset a deprecation policy covers.
 *
 * @param algorithm       the covered algorithm the asset uses (or, once migrated, used)
 * @param migrationStatus {@code pending} while the asset still uses it, {@code in_progress} while it still uses it
 *                        but is being retired (a kms key pending deletion), {@code completed} once it was rotated
 *                        to another algorithm
 */
public record AffectedAsset(String assetId, String assetType, String algorithm, String policyId,
                            Instant deprecationDate, String migrationStatus) {

    public static final String PENDING = "pending";
    public static final String IN_PROGRESS = "in_progress";
    public static final String COMPLETED = "completed";

    /** Still to be migrated. */
    public boolean outstanding() {
        return !COMPLETED.equals(migrationStatus);
    }
}
