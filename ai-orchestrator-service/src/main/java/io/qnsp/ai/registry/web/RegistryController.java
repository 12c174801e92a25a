package io.qnsp.ai.registry.web;

import io.qnsp.ai.AiScopes;
import io.qnsp.ai.registry.Deployment;
import io.qnsp.ai.registry.Model;
import io.qnsp.ai.registry.ModelRegistry;
import io.qnsp.common.controls.RequiredControls;
import io.qnsp.common.error.InvalidField;
import io.qnsp.common.openapi.FailureResponse;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.TenantRequired;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Model registry: registering models, their lifecycle (activate, deprecate) and deployments of active ones. */
@Tag(name = "Model Registry")
@RestController
@RequestMapping("/ai/v1/registry")
class RegistryController {

    static final int MAX_TEXT = 200;
    static final int MAX_LONG_TEXT = 2000;
    static final int MAX_TAGS = 50;
    static final int MAX_REPLICAS = 100;
    /** Kubernetes-style quantities: {@code 500m}, {@code 2}, {@code 512Mi}, {@code 4Gi}. */
    private static final Pattern CPU = Pattern.compile("[0-9]{1,6}(\\.[0-9]{1,3})?m?");
    private static final Pattern MEMORY = Pattern.compile("[0-9]{1,9}(Ki|Mi|Gi|Ti|K|M|G|T)?");
    private static final Pattern GPU = Pattern.compile("[0-9]{1,3}");

    record Artifacts(@Nullable String modelPath, @Nullable String configPath) {
    }

    record Metadata(@Nullable String description, @Nullable List<String> tags, @Nullable String license) {
    }

    record RegisterModelRequest(@Nullable String name, @Nullable String version,
                                @Schema(allowableValues = {"llm", "embedding", "classification", "custom"})
                                @Nullable String type,
                                @Nullable String provider, @Nullable Artifacts artifacts,
                                @Nullable Metadata metadata) {
    }

    record ModelRegistered(String modelId, String name, @Schema(allowableValues = "registered") String status,
                           Instant createdAt) {
    }

    record ModelActivated(String modelId, @Schema(allowableValues = "active") String status, Instant activatedAt) {
    }

    record DeprecateModelRequest(@Nullable String reason, @Nullable String replacementModelId) {
    }

    record ModelDeprecated(String modelId, @Schema(allowableValues = "deprecated") String status,
                           Instant deprecatedAt) {
    }

    record ResourcesRequest(@Schema(description = "e.g. 500m or 2") @Nullable String cpu,
                            @Schema(description = "e.g. 512Mi or 4Gi") @Nullable String memory,
                            @Schema(description = "a number of GPUs, or null") @Nullable String gpu) {
    }

    record AutoscalingRequest(@Nullable Boolean enabled, @Nullable Integer minReplicas,
                              @Nullable Integer maxReplicas) {
    }

    record DeploymentConfig(@Nullable Integer replicas, @Nullable ResourcesRequest resources,
                            @Nullable AutoscalingRequest autoscaling) {
    }

    record DeployRequest(@Nullable String modelId,
                         @Schema(description = "the model's registered version (or its id); defaults to it")
                         @Nullable String versionId,
                         @Nullable DeploymentConfig config) {
    }

    record DeploymentCreated(String deploymentId, String modelId, @Schema(allowableValues = "deploying") String status,
                             Instant createdAt) {
    }

    private final ModelRegistry registry;

    RegistryController(ModelRegistry registry) {
        this.registry = registry;
    }

    @Operation(summary = "Register a new AI model", operationId = "registerModel",
            description = "Needs ai:write. A name and version the tenant already registered is 409.")
    @FailureResponse(status = 409, description = "The tenant already has this name and version")
    @PostMapping("/models")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = AiScopes.WRITE, audit = "ai.model.registered", resourceType = "model",
            resourceId = "#result.modelId")
    ModelRegistered register(Caller caller, @RequestBody RegisterModelRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        String name = problems.text(request.name(), "name", MAX_TEXT, true);
        String version = problems.text(request.version(), "version", MAX_TEXT, true);
        if (request.type() == null) {
            problems.add("type", "is required");
        } else if (!Model.TYPES.contains(request.type())) {
            problems.add("type", "must be one of " + Model.TYPES);
        }
        String provider = problems.text(request.provider(), "provider", MAX_TEXT, true);
        Artifacts artifacts = request.artifacts() == null ? new Artifacts(null, null) : request.artifacts();
        String modelPath = problems.text(artifacts.modelPath(), "artifacts.modelPath", MAX_LONG_TEXT, false);
        String configPath = problems.text(artifacts.configPath(), "artifacts.configPath", MAX_LONG_TEXT, false);
        Metadata metadata = request.metadata() == null ? new Metadata(null, null, null) : request.metadata();
        String description = problems.text(metadata.description(), "metadata.description", MAX_LONG_TEXT, false);
        String license = problems.text(metadata.license(), "metadata.license", MAX_TEXT, false);
        List<String> tags = new ArrayList<>();
        if (metadata.tags() != null) {
            if (metadata.tags().size() > MAX_TAGS) {
                problems.add("metadata.tags", "must have at most " + MAX_TAGS + " entries");
            } else if (metadata.tags().stream().anyMatch(t -> t == null || t.isBlank() || t.strip().length() > 64)) {
                problems.add("metadata.tags", "entries must be non-empty and at most 64 characters");
            } else {
                tags.addAll(new LinkedHashSet<>(metadata.tags().stream().map(String::strip).toList()));
            }
        }
        problems.throwIfAny();
        Model model = registry.register(tenant, new ModelRegistry.NewModel(name, version, request.type(), provider,
                modelPath, configPath, description, tags, license));
        return new ModelRegistered(model.modelId().toString(), model.name(), model.status(), model.createdAt());
    }

    @Operation(summary = "Activate a model", operationId = "activateModel",
            description = "Needs ai:write. A registered model becomes active (an active one stays so, with its "
                    + "first activation time); a deprecated model is 409. Another tenant's model is 404.")
    @FailureResponse(status = 404, description = "No such model in the caller's tenant")
    @FailureResponse(status = 409, description = "The model is deprecated")
    @PostMapping("/models/{id}/activate")
    @RequiredControls(scopes = AiScopes.WRITE, audit = "ai.model.activated", resourceType = "model",
            resourceId = "#id")
    ModelActivated activate(Caller caller, @PathVariable String id) {
        Model model = registry.activate(TenantRequired.tenantOf(caller), id);
        return new ModelActivated(model.modelId().toString(), model.status(), model.activatedAt());
    }

    @Operation(summary = "Deprecate a model", operationId = "deprecateModel",
            description = "Needs ai:write. A registered or active model becomes deprecated and can no longer be "
                    + "deployed or activated; replacementModelId, when given, must be another of the tenant's "
                    + "models that is not deprecated. A deprecated model is 409; another tenant's model is 404.")
    @FailureResponse(status = 404, description = "No such model in the caller's tenant")
    @FailureResponse(status = 409, description = "The model is already deprecated")
    @PostMapping("/models/{id}/deprecate")
    @RequiredControls(scopes = AiScopes.WRITE, audit = "ai.model.deprecated", resourceType = "model",
            resourceId = "#id", auditDetails = "{'replacementModelId': #request?.replacementModelId()}")
    ModelDeprecated deprecate(Caller caller, @PathVariable String id,
                              @RequestBody(required = false) @Nullable DeprecateModelRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        DeprecateModelRequest body = request == null ? new DeprecateModelRequest(null, null) : request;
        InvalidField.Problems problems = new InvalidField.Problems();
        String reason = problems.text(body.reason(), "reason", MAX_LONG_TEXT, true);
        String replacement = body.replacementModelId() == null || body.replacementModelId().isBlank() ? null
                : body.replacementModelId().strip();
        problems.throwIfAny();
        Model model = registry.deprecate(tenant, id, reason, replacement);
        return new ModelDeprecated(model.modelId().toString(), model.status(), model.deprecatedAt());
    }

    @Operation(summary = "Deploy a registered model", operationId = "deployModel",
            description = "Needs ai:write; counts against the tenant's ai.deployments quota and is metered as "
                    + "ai.model_deploy. Only an active model can be deployed: a registered or deprecated one is 409 "
                    + "naming modelId. Without a config, one replica without autoscaling.")
    @FailureResponse(status = 409, description = "The model is not active")
    @PostMapping("/deployments")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = AiScopes.WRITE, quota = "ai.deployments", audit = "ai.model.deployed",
            resourceType = "deployment", resourceId = "#result.deploymentId", metering = "ai.model_deploy",
            auditDetails = "{'modelId': #request?.modelId()}")
    DeploymentCreated deploy(Caller caller, @RequestBody DeployRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.modelId() == null || request.modelId().isBlank()) {
            problems.add("modelId", "is required");
        }
        String versionId = problems.text(request.versionId(), "versionId", MAX_TEXT, false);
        Deployment.Config config = config(request.config(), problems);
        problems.throwIfAny();
        Deployment deployment = registry.deploy(tenant, request.modelId().strip(), versionId, config);
        return new DeploymentCreated(deployment.deploymentId().toString(), deployment.modelId().toString(),
                deployment.status(), deployment.createdAt());
    }

    private static Deployment.Config config(@Nullable DeploymentConfig config, InvalidField.Problems problems) {
        DeploymentConfig c = config == null ? new DeploymentConfig(null, null, null) : config;
        int replicas = c.replicas() == null ? 1 : c.replicas();
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            problems.add("config.replicas", "must be from 1 to " + MAX_REPLICAS);
        }
        ResourcesRequest r = c.resources() == null ? new ResourcesRequest(null, null, null) : c.resources();
        String cpu = quantity(r.cpu(), CPU, "config.resources.cpu", "a CPU quantity such as 500m or 2", problems);
        String memory = quantity(r.memory(), MEMORY, "config.resources.memory",
                "a memory quantity such as 512Mi or 4Gi", problems);
        String gpu = quantity(r.gpu(), GPU, "config.resources.gpu", "a number of GPUs", problems);
        AutoscalingRequest a = c.autoscaling() == null ? new AutoscalingRequest(false, null, null) : c.autoscaling();
        boolean enabled = Boolean.TRUE.equals(a.enabled());
        int min = a.minReplicas() == null ? replicas : a.minReplicas();
        int max = a.maxReplicas() == null ? replicas : a.maxReplicas();
        if (enabled) {
            if (min < 1 || min > MAX_REPLICAS) {
                problems.add("config.autoscaling.minReplicas", "must be from 1 to " + MAX_REPLICAS);
            } else if (max < min || max > MAX_REPLICAS) {
                problems.add("config.autoscaling.maxReplicas", "must be from minReplicas to " + MAX_REPLICAS);
            } else if (replicas < min || replicas > max) {
                problems.add("config.replicas", "must lie between minReplicas and maxReplicas");
            }
        }
        return new Deployment.Config(replicas, new Deployment.Resources(cpu, memory, gpu),
                new Deployment.Autoscaling(enabled, enabled ? min : replicas, enabled ? max : replicas));
    }

    private static @Nullable String quantity(@Nullable String value, Pattern format, String field, String what,
                                             InvalidField.Problems problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!format.matcher(value.strip()).matches()) {
            problems.add(field, "must be " + what);
            return null;
        }
        return value.strip();
    }

}
