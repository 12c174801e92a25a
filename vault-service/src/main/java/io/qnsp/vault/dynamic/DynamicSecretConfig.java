package io.qnsp.vault.dynamic;

import io.qnsp.common.kms.Envelopes;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A tenant's dynamic secret configuration: the backend the leases' accounts are made on (sealed), how they are
 * named and what they are granted, and how long they live.
 */
public record DynamicSecretConfig(UUID configId, String tenantId, String name, String type, BackendType backendType,
                                  Envelopes.Sealed sealedBackend, String usernameTemplate, String roleTemplate,
                                  Duration defaultTtl, Duration maxTtl, String createdBy, Instant createdAt) {

    /** The only config type the vault makes credentials for. */
    public static final String DATABASE = "database";

    /** The envelope context of the sealed backend: it opens for this config only. */
    static String sealingContext(UUID configId) {
        return "dynamic-secret-config\n" + configId;
    }
}
