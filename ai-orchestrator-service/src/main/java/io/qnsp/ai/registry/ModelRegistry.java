package io.qnsp.ai.registry;

import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The tenant's models and their lifecycle: a model is registered, activated, and finally deprecated; only an active
 * model can be deployed, a deprecated one never returns.
 */
@Service
public class ModelRegistry {

    private final Models models;
    private final Clock clock;

    ModelRegistry(Models models, Clock clock) {
        this.models = models;
        this.clock = clock;
    }

    public record NewModel(String name, String version, String type, String provider, @Nullable String modelPath,
                           @Nullable String configPath, @Nullable String description, List<String> tags,
                           @Nullable String license) {
    }

    public Model register(String tenantId, NewModel m) {
        Model model = new Model(UUID.randomUUID(), tenantId, m.name(), m.version(), m.type(), m.provider(),
                m.modelPath(), m.configPath(), m.description(), m.tags(), m.license(), Model.REGISTERED,
                now(), null, null, null, null);
        models.insert(model);
        return model;
    }

    /** The tenant's model; another tenant's, or a malformed id, is empty. */
    public Optional<Model> find(String tenantId, String modelId) {
        UUID id = parse(modelId);
        return id == null ? Optional.empty() : models.find(tenantId, id, false);
    }

    /** Whether the deployment is one of the tenant's deployments of the model. */
    public boolean isDeploymentOf(String tenantId, UUID modelId, String deploymentId) {
        UUID id = parse(deploymentId);
        return id != null && models.hasDeployment(tenantId, modelId, id);
    }

    public List<Model> models(String tenantId) {
        return models.all(tenantId);
    }

    /** Activates a registered model; activating an active one changes nothing, a deprecated one is a conflict. */
    @Transactional
    public Model activate(String tenantId, String modelId) {
        Model model = locked(tenantId, modelId);
        return switch (model.status()) {
            case Model.ACTIVE -> model;
            case Model.DEPRECATED -> throw new ModelStateConflict("modelId", model,
                    "a deprecated model cannot be activated again");
            default -> {
                models.activate(model.modelId(), now());
                yield models.find(tenantId, model.modelId(), false).orElseThrow();
            }
        };
    }

    /**
     * Deprecates a registered or active model, naming the model that replaces it (the tenant's, not deprecated,
     * not itself); a deprecated model is a conflict.
     */
    @Transactional
    public Model deprecate(String tenantId, String modelId, String reason, @Nullable String replacementModelId) {
        Model model = locked(tenantId, modelId);
        if (Model.DEPRECATED.equals(model.status())) {
            throw new ModelStateConflict("modelId", model, "the model is already deprecated");
        }
        UUID replacement = null;
        if (replacementModelId != null) {
            replacement = parse(replacementModelId);
            Model successor = replacement == null ? null : models.find(tenantId, replacement, false).orElse(null);
            if (successor == null) {
                throw new InvalidField("replacementModelId", "is not a model of this tenant");
            }
            if (successor.modelId().equals(model.modelId())) {
                throw new InvalidField("replacementModelId", "cannot be the deprecated model itself");
            }
            if (Model.DEPRECATED.equals(successor.status())) {
                throw new InvalidField("replacementModelId", "is itself deprecated");
            }
        }
        models.deprecate(model.modelId(), now(), reason, replacement);
        return models.find(tenantId, model.modelId(), false).orElseThrow();
    }

    /**
     * Deploys an active model at its registered version (a {@code versionId} naming another version is refused);
     * a model not active is a conflict naming {@code modelId}.
     */
    @Transactional
    public Deployment deploy(String tenantId, String modelId, @Nullable String versionId, Deployment.Config config) {
        UUID id = parse(modelId);
        Model model = id == null ? null : models.find(tenantId, id, true).orElse(null);
        if (model == null) {
            throw new InvalidField("modelId", "is not a model of this tenant");
        }
        if (Model.DEPRECATED.equals(model.status())) {
            throw new ModelStateConflict("modelId", model, "a deprecated model cannot be deployed");
        }
        if (!Model.ACTIVE.equals(model.status())) {
            throw new ModelStateConflict("modelId", model, "only an active model can be deployed; activate it first");
        }
        if (versionId != null && !versionId.equals(model.version()) && !versionId.equals(model.modelId().toString())) {
            throw new InvalidField("versionId", "must be the model's registered version '" + model.version() + "'");
        }
        Deployment deployment = new Deployment(UUID.randomUUID(), tenantId, model.modelId(), model.version(), config,
                Deployment.DEPLOYING, now());
        models.insert(deployment);
        return deployment;
    }

    private Model locked(String tenantId, String modelId) {
        UUID id = parse(modelId);
        return (id == null ? Optional.<Model>empty() : models.find(tenantId, id, true))
                .orElseThrow(() -> new ModelNotFound(modelId));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static @Nullable UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }
}
