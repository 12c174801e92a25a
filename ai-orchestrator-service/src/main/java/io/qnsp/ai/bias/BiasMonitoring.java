package io.qnsp.ai.bias;

import io.qnsp.ai.AiSettings;
import io.qnsp.ai.registry.Model;
import io.qnsp.ai.registry.ModelRegistry;
import io.qnsp.common.error.InvalidField;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Bias evaluations of the tenant's models: created over a dataset checked up front, started once, computed in the
 * background ({@link EvaluationRunner}), and summarized.
 */
@Service
public class BiasMonitoring {

    static final int RECENT = 10;

    private final BiasEvaluations evaluations;
    private final ModelRegistry registry;
    private final ApplicationEventPublisher events;
    private final AiSettings settings;
    private final Clock clock;

    BiasMonitoring(BiasEvaluations evaluations, ModelRegistry registry, ApplicationEventPublisher events,
                   AiSettings settings, Clock clock) {
        this.evaluations = evaluations;
        this.registry = registry;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The dataset of a new evaluation: the CSV itself, and where it came from (a {@code data:} URI, or a label
     * for CSV given inline).
     */
    public record Dataset(String source, String csv, String field, @Nullable Integer sampleSize) {
    }

    /**
     * Creates an evaluation of the tenant's model once its dataset parses with the columns the type needs; a model
     * of another tenant is an {@link InvalidField} naming {@code modelId}.
     */
    public BiasEvaluation create(String tenantId, String modelId, String evaluationType, Dataset dataset,
                                 List<String> attributes) {
        Model model = registry.find(tenantId, modelId)
                .orElseThrow(() -> new InvalidField("modelId", "is not a model of this tenant"));
        BiasDataset.parse(dataset.csv(), evaluationType, attributes, dataset.sampleSize(), dataset.field());
        BiasEvaluation evaluation = new BiasEvaluation(UUID.randomUUID(), tenantId, model.modelId(), evaluationType,
                dataset.source(), dataset.sampleSize(), attributes, BiasEvaluation.CREATED, now(), null, null, null,
                null, null);
        evaluations.insert(evaluation, dataset.csv());
        return evaluation;
    }

    /** Starts a created evaluation; it is computed once this transaction commits. */
    @Transactional
    public BiasEvaluation start(String tenantId, String evaluationId) {
        UUID id = parse(evaluationId);
        BiasEvaluation evaluation = (id == null ? java.util.Optional.<BiasEvaluation>empty()
                : evaluations.find(tenantId, id)).orElseThrow(() -> new EvaluationNotFound(evaluationId));
        if (!evaluations.start(tenantId, id, now())) {
            throw new EvaluationAlreadyStarted(evaluations.find(tenantId, id).orElse(evaluation));
        }
        events.publishEvent(new EvaluationStarted(id));
        return evaluations.find(tenantId, id).orElseThrow();
    }

    public BiasEvaluation find(String tenantId, String evaluationId) {
        UUID id = parse(evaluationId);
        return (id == null ? java.util.Optional.<BiasEvaluation>empty() : evaluations.find(tenantId, id))
                .orElseThrow(() -> new EvaluationNotFound(evaluationId));
    }

    /**
     * The tenant's bias posture: models with a completed evaluation; active incidents, the latest completed
     * evaluations (one per model and type) whose metric exceeds the incident threshold; the overall fairness score,
     * the mean of {@code 100 * (1 - min(1, metric))} over those latest evaluations (null before the first
     * completes); and the most recent evaluations.
     */
    public record Summary(long modelsEvaluated, long activeIncidents, @Nullable Double overallFairnessScore,
                          List<BiasEvaluation> recentEvaluations) {
    }

    public Summary summary(String tenantId) {
        List<BiasEvaluation> latest = evaluations.latestCompleted(tenantId);
        long models = latest.stream().map(BiasEvaluation::modelId).distinct().count();
        long incidents = latest.stream().filter(e -> e.metricValue() > settings.biasIncidentThreshold()).count();
        Double score = latest.isEmpty() ? null : latest.stream()
                .mapToDouble(e -> fairnessScore(e.metricValue())).average().orElseThrow();
        return new Summary(models, incidents, score, evaluations.recent(tenantId, RECENT));
    }

    /** {@code 100 * (1 - min(1, metric))}: 100 for no measured difference, 0 for the largest. */
    public static double fairnessScore(double metric) {
        return 100 * (1 - Math.min(1, metric));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static @Nullable UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
