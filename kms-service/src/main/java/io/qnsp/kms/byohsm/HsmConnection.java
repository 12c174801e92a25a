package io.qnsp.kms.byohsm;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/** A tenant's PKCS#11 token: where its library and slot are, and its PIN and credentials sealed under the master key. */
public record HsmConnection(UUID connectionId, String tenantId, String name, String provider, String status,
                            @Nullable String endpoint, @Nullable Integer port, String library, @Nullable Long slot,
                            @Nullable Integer slotListIndex, byte[] sealedPin, @Nullable String credentialsType,
                            byte @Nullable [] sealedCredentials, @Nullable String metadata,
                            @Nullable Instant lastHealthCheckAt, Instant createdAt, Instant updatedAt) {

    @Override
    public String toString() {
        return "HsmConnection[" + connectionId + ", " + name + ", " + provider + ", " + status + "]";
    }
}
