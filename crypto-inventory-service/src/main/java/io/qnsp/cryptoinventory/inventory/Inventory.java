package io.qnsp.cryptoinventory.inventory;

import java.time.Instant;
import java.util.List;

/**
 * The tenant's cryptographic assets as read at {@code takenAt}, with kms-service's classification of algorithms and
 * its migration readiness.
 */
public record Inventory(List<CryptoAsset> assets, AlgorithmClassification classification, KmsReadiness kms,
                        Instant takenAt) {

    public Inventory {
        assets = List.copyOf(assets);
    }

    /** The assets of one type. */
    public List<CryptoAsset> ofType(String assetType) {
        return assets.stream().filter(a -> a.assetType().equals(assetType)).toList();
    }

    /** The assets that use an algorithm (every type but HSM connections). */
    public List<CryptoAsset> withAlgorithm() {
        return assets.stream().filter(a -> a.algorithm() != null).toList();
    }
}
