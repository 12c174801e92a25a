package io.qnsp.cryptoinventory.inventory;

/**
 * kms-service's migration readiness for the tenant, as it reports it.
 *
 * @param overallScore     quantum-resistant keys ÷ all keys × 100 (100 without keys)
 * @param total            the tenant's keys
 * @param migrated         keys whose current version is quantum-resistant
 * @param pendingMigration enabled quantum-vulnerable keys
 * @param blocked          quantum-vulnerable keys that are disabled or pending deletion
 */
public record KmsReadiness(double overallScore, long total, long migrated, long pendingMigration, long blocked) {
}
