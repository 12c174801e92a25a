package io.qnsp.ai.registry;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.UUID;

/** A deployment of an active model, with the configuration it was requested with. */
public record Deployment(UUID deploymentId, String tenantId, UUID modelId, String version, Config config,
                         String status, Instant createdAt) {

    /** A new deployment's state: the platform hands it to the serving runtime. */
    public static final String DEPLOYING = "deploying";

    public record Resources(@Nullable String cpu, @Nullable String memory, @Nullable String gpu) {
    }

    public record Autoscaling(boolean enabled, int minReplicas, int maxReplicas) {
    }

    public record Config(int replicas, Resources resources, Autoscaling autoscaling) {
    }
}
