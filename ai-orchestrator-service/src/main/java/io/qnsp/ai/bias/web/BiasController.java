package io.qnsp.ai.bias.web;

import io.qnsp.ai.AiScopes;
import io.qnsp.ai.bias.BiasEvaluation;
import io.qnsp.ai.bias.BiasMonitoring;
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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Bias monitoring: evaluations of the tenant's models over datasets it supplies, run in the background. */
@Tag(name = "Bias Monitoring")
@RestController
@RequestMapping("/ai/v1/bias")
class BiasController {

    static final int MAX_ATTRIBUTES = 10;
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    record TestDataset(@Schema(description = "where the CSV is: a data:text/csv URI (RFC 2397, base64 or "
            + "percent-encoded), or, with content, a label for the inline CSV") @Nullable String source,
                       @Schema(description = "evaluate the first sampleSize rows; all when absent")
                       @Nullable Integer sampleSize,
                       @Schema(description = "the CSV itself (header line first), instead of a data: URI in "
                               + "source") @Nullable String content) {
    }

    record CreateEvaluationRequest(@Nullable String modelId,
                                   @Schema(allowableValues = {"demographic_parity", "equalized_odds", "calibration"})
                                   @Nullable String evaluationType,
                                   @Nullable TestDataset testDataset,
                                   @Schema(description = "CSV columns holding each row's group")
                                   @Nullable List<String> protectedAttributes) {
    }

    record EvaluationCreated(String evaluationId, @Schema(allowableValues = "created") String status,
                             Instant createdAt) {
    }

    record EvaluationStartedBody(String evaluationId, @Schema(allowableValues = "running") String status,
                                 Instant startedAt) {
    }

    record EvaluationView(String evaluationId, String modelId, String evaluationType,
                          @Schema(allowableValues = {"created", "running", "completed", "failed"}) String status,
                          List<String> protectedAttributes, Instant createdAt, @Nullable Instant startedAt,
                          @Nullable Instant completedAt,
                          @Schema(description = "the metric's value once completed: the largest over the "
                                  + "protected attributes") @Nullable Double metricValue,
                          @Schema(description = "100 * (1 - min(1, metricValue))") @Nullable Double fairnessScore,
                          @Schema(description = "the metric per attribute and the figures per group")
                          @Nullable JsonNode result,
                          @Schema(description = "why the evaluation failed") @Nullable String failure) {
    }

    record BiasSummary(long modelsEvaluated, long activeIncidents, @Nullable Double overallFairnessScore,
                       List<EvaluationView> recentEvaluations) {
    }

    private final BiasMonitoring monitoring;
    private final JsonMapper json;

    BiasController(BiasMonitoring monitoring, JsonMapper json) {
        this.monitoring = monitoring;
        this.json = json;
    }

    @Operation(summary = "Create bias evaluation", operationId = "createBiasEvaluation",
            description = "Needs ai:write. The dataset is a CSV with a header: prediction (0/1) for "
                    + "demographic_parity, prediction and label (0/1) for equalized_odds, score (0-1) and label for "
                    + "calibration, and a column per protected attribute. It is checked now; a problem is 400 "
                    + "naming the field and line.")
    @PostMapping("/evaluations")
    @ResponseStatus(HttpStatus.CREATED)
    @RequiredControls(scopes = AiScopes.WRITE, audit = "ai.bias.evaluation.created", resourceType = "bias_evaluation",
            resourceId = "#result.evaluationId", auditDetails = "{'modelId': #request?.modelId(), "
            + "'evaluationType': #request?.evaluationType()}")
    EvaluationCreated create(Caller caller, @RequestBody CreateEvaluationRequest request) {
        String tenant = TenantRequired.tenantOf(caller);
        InvalidField.Problems problems = new InvalidField.Problems();
        if (request.modelId() == null || request.modelId().isBlank()) {
            problems.add("modelId", "is required");
        }
        if (request.evaluationType() == null) {
            problems.add("evaluationType", "is required");
        } else if (!BiasEvaluation.TYPES.contains(request.evaluationType())) {
            problems.add("evaluationType", "must be one of " + BiasEvaluation.TYPES);
        }
        List<String> attributes = List.of();
        if (request.protectedAttributes() == null || request.protectedAttributes().isEmpty()) {
            problems.add("protectedAttributes", "must name at least one column");
        } else if (request.protectedAttributes().size() > MAX_ATTRIBUTES) {
            problems.add("protectedAttributes", "must name at most " + MAX_ATTRIBUTES + " columns");
        } else if (request.protectedAttributes().stream().anyMatch(a -> a == null || !ATTRIBUTE.matcher(a).matches())) {
            problems.add("protectedAttributes", "entries must be column names of letters, digits, _ . -");
        } else {
            attributes = List.copyOf(new LinkedHashSet<>(request.protectedAttributes()));
        }
        BiasMonitoring.Dataset dataset = null;
        TestDataset given = request.testDataset();
        if (given == null) {
            problems.add("testDataset", "is required");
        } else {
            if (given.sampleSize() != null && given.sampleSize() < 1) {
                problems.add("testDataset.sampleSize", "must be at least 1");
            }
            if (given.content() != null && !given.content().isBlank()) {
                String label = given.source() == null || given.source().isBlank() ? "inline" : given.source().strip();
                if (label.length() > 200) {
                    problems.add("testDataset.source", "must be at most 200 characters with content");
                }
                dataset = new BiasMonitoring.Dataset(label, given.content(), "testDataset.content",
                        given.sampleSize());
            } else if (given.source() == null || given.source().isBlank()) {
                problems.add("testDataset.source", "is required: a data:text/csv URI, or give testDataset.content");
            } else {
                try {
                    String csv = io.qnsp.ai.bias.DataUris.csv(given.source().strip(), "testDataset.source");
                    dataset = new BiasMonitoring.Dataset("data:text/csv", csv, "testDataset.source",
                            given.sampleSize());
                } catch (InvalidField invalid) {
                    problems.addAll(invalid);
                }
            }
        }
        problems.throwIfAny();
        BiasEvaluation evaluation = monitoring.create(tenant, request.modelId().strip(), request.evaluationType(),
                dataset, attributes);
        return new EvaluationCreated(evaluation.evaluationId().toString(), evaluation.status(),
                evaluation.createdAt());
    }

    @Operation(summary = "Start bias evaluation", operationId = "startBiasEvaluation",
            description = "Needs ai:write. The evaluation runs in the background: running now, then completed "
                    + "or failed (GET /ai/v1/bias/evaluations/{id}). An evaluation starts once: again is 409.")
    @FailureResponse(status = 404, description = "No such evaluation in the caller's tenant")
    @FailureResponse(status = 409, description = "The evaluation was started before")
    @PostMapping("/evaluations/{id}/start")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @RequiredControls(scopes = AiScopes.WRITE, audit = "ai.bias.evaluation.started", resourceType = "bias_evaluation",
            resourceId = "#id")
    EvaluationStartedBody start(Caller caller, @PathVariable String id) {
        BiasEvaluation evaluation = monitoring.start(TenantRequired.tenantOf(caller), id);
        return new EvaluationStartedBody(evaluation.evaluationId().toString(), evaluation.status(),
                evaluation.startedAt());
    }

    @Operation(summary = "Get a bias evaluation", operationId = "getBiasEvaluation",
            description = "Needs ai:read. Its status and, once completed, the metric per protected attribute with "
                    + "the figures of each group.")
    @FailureResponse(status = 404, description = "No such evaluation in the caller's tenant")
    @GetMapping("/evaluations/{id}")
    @RequiredControls(scopes = AiScopes.READ, audit = "ai.bias.evaluation.read", resourceType = "bias_evaluation",
            resourceId = "#id")
    EvaluationView evaluation(Caller caller, @PathVariable String id) {
        return view(monitoring.find(TenantRequired.tenantOf(caller), id));
    }

    @Operation(summary = "Get bias monitoring summary", operationId = "getBiasSummary",
            description = "Needs ai:read. Over the latest completed evaluation of each model and type: the models "
                    + "evaluated, active incidents (metric above the configured threshold, 0.1 by default) and the "
                    + "mean fairness score (null before any evaluation completes); and the ten most recent "
                    + "evaluations.")
    @GetMapping("/summary")
    @RequiredControls(scopes = AiScopes.READ, audit = "ai.bias.summary.read")
    BiasSummary summary(Caller caller) {
        BiasMonitoring.Summary summary = monitoring.summary(TenantRequired.tenantOf(caller));
        return new BiasSummary(summary.modelsEvaluated(), summary.activeIncidents(), summary.overallFairnessScore(),
                summary.recentEvaluations().stream().map(this::view).toList());
    }

    private EvaluationView view(BiasEvaluation e) {
        return new EvaluationView(e.evaluationId().toString(), e.modelId().toString(), e.evaluationType(),
                e.status(), e.protectedAttributes(), e.createdAt(), e.startedAt(), e.completedAt(), e.metricValue(),
                e.metricValue() == null ? null : BiasMonitoring.fairnessScore(e.metricValue()),
                e.result() == null ? null : json.readTree(e.result()), e.failure());
    }
}
