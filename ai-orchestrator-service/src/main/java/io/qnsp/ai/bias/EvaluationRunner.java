package io.qnsp.ai.bias;

import io.qnsp.ai.AiSettings;
import io.qnsp.common.jobs.BackgroundJobs;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Computes started evaluations in the background, on virtual threads, at most {@code evaluation-concurrency} at a
 * time: an evaluation is taken when its start commits, and evaluations left running by a stopped instance are taken
 * again at start-up. Computing is deterministic and the result is written only over a running evaluation, so an
 * evaluation computed twice ends the same.
 */
@Component
class EvaluationRunner {

    private static final Logger log = LoggerFactory.getLogger(EvaluationRunner.class);
    static final String INTERNAL_FAILURE = "The evaluation could not be computed because of an internal error";

    private final BiasEvaluations evaluations;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final Clock clock;
    private final BackgroundJobs jobs;

    EvaluationRunner(BiasEvaluations evaluations, PlatformTransactionManager transactions, JsonMapper json,
                     AiSettings settings, Clock clock) {
        this.evaluations = evaluations;
        this.transactions = new TransactionTemplate(transactions);
        this.json = json;
        this.clock = clock;
        this.jobs = new BackgroundJobs("bias-evaluation-", settings.evaluationConcurrency(), this::run);
    }

    @TransactionalEventListener
    void onStarted(EvaluationStarted started) {
        submit(started.evaluationId());
    }

    @EventListener(ApplicationReadyEvent.class)
    void resume() {
        for (UUID id : evaluations.allRunning()) {
            log.info("Resuming bias evaluation {}", id);
            submit(id);
        }
    }

    @PreDestroy
    void stop() {
        jobs.shutdownNow();
    }

    void submit(UUID evaluationId) {
        jobs.submit(evaluationId);
    }

    void run(UUID evaluationId) {
        BiasEvaluations.Work work = evaluations.running(evaluationId).orElse(null);
        if (work == null) {
            return;
        }
        BiasEvaluation evaluation = work.evaluation();
        try {
            BiasDataset dataset = BiasDataset.parse(work.csv(), evaluation.evaluationType(),
                    evaluation.protectedAttributes(), evaluation.sampleSize(), "testDataset");
            FairnessMetrics.Result result = FairnessMetrics.compute(evaluation.evaluationType(), dataset,
                    evaluation.protectedAttributes());
            String stored = json.writeValueAsString(result);
            transactions.executeWithoutResult(s -> evaluations.complete(evaluationId, result.value(), stored,
                    clock.instant().truncatedTo(ChronoUnit.MICROS)));
        } catch (FairnessMetrics.NotComputable | io.qnsp.common.error.InvalidField e) {
            transactions.executeWithoutResult(s -> evaluations.fail(evaluationId, e.getMessage(),
                    clock.instant().truncatedTo(ChronoUnit.MICROS)));
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                return; // stopping: left running, resumed at the next start-up
            }
            log.error("Bias evaluation {} could not be computed", evaluationId, e);
            transactions.executeWithoutResult(s -> evaluations.fail(evaluationId, INTERNAL_FAILURE,
                    clock.instant().truncatedTo(ChronoUnit.MICROS)));
        }
    }
}
