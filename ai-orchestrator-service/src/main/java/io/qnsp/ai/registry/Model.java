package io.qnsp.ai.registry;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A model a tenant registered, and where it stands in its lifecycle (registered, active, deprecated). */
public record Model(UUID modelId, String tenantId, String name, String version, String type, String provider,
                    @Nullable String modelPath, @Nullable String configPath, @Nullable String description,
                    List<String> tags, @Nullable String license, String status, Instant createdAt,
                    @Nullable Instant activatedAt, @Nullable Instant deprecatedAt,
                    @Nullable String deprecationReason, @Nullable UUID replacementModelId) {

    public static final List<String> TYPES = List.of("llm", "embedding", "classification", "custom");
    public static final String REGISTERED = "registered";
    public static final String ACTIVE = "active";
    public static final String DEPRECATED = "deprecated";

    public Model {
        tags = List.copyOf(tags);
    }

    /** The name and version together, as cost reports label the model. */
    public String label() {
        return name + "@" + version;
    }
}
