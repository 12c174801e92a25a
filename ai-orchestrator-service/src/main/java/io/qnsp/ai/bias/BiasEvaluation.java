package io.qnsp.ai.bias;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A bias evaluation of one of the tenant's models over a test dataset: created, then running once started, then
 * completed with its metric (or failed with the reason).
 */
public record BiasEvaluation(UUID evaluationId, String tenantId, UUID modelId, String evaluationType,
                             String datasetSource, @Nullable Integer sampleSize, List<String> protectedAttributes,
                             String status, Instant createdAt, @Nullable Instant startedAt,
                             @Nullable Instant completedAt, @Nullable Double metricValue, @Nullable String result,
                             @Nullable String failure) {

    public static final List<String> TYPES = List.of("demographic_parity", "equalized_odds", "calibration");
    public static final String CREATED = "created";
    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    public BiasEvaluation {
        protectedAttributes = List.copyOf(protectedAttributes);
    }
}
