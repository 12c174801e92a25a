package io.qnsp.cryptoinventory.inventory;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * One cryptographic asset of the inventory.
 *
 * @param assetId           the kms key's or HSM connection's id, {@code jwk:<kid>} for a signing key,
 *                          {@code tls:<SHA-256 fingerprint>} for a certificate
 * @param assetType         {@code kms_key}, {@code signing_key}, {@code tls_certificate} or {@code hsm_connection}
 * @param algorithm         the algorithm the asset uses now (a kms key's current version's); null for an HSM
 *                          connection
 * @param formerAlgorithms  algorithms of the asset's older versions that it no longer uses (kms keys only)
 * @param state             the asset's state at its source (a key's state, an HSM connection's status,
 *                          {@code active} or {@code expired} for a certificate)
 * @param category          encryption, signing or key_exchange where the source says; null otherwise
 * @param rotatedAt         when a kms key was last rotated; null when never
 * @param expiresAt         a certificate's end of validity
 */
public record CryptoAsset(String assetId, String assetType, String name, @Nullable String algorithm,
                          List<String> formerAlgorithms, String state, @Nullable String category,
                          @Nullable Instant createdAt, @Nullable Instant rotatedAt, @Nullable Instant expiresAt) {

    public static final String KMS_KEY = "kms_key";
    public static final String SIGNING_KEY = "signing_key";
    public static final String TLS_CERTIFICATE = "tls_certificate";
    public static final String HSM_CONNECTION = "hsm_connection";

    public CryptoAsset {
        formerAlgorithms = List.copyOf(formerAlgorithms);
    }
}
