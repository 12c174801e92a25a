package io.qnsp.ai.bias;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The evaluation was started before (it is running, completed or failed): 409. */
class EvaluationAlreadyStarted extends ApiException {

    EvaluationAlreadyStarted(BiasEvaluation evaluation) {
        super(HttpStatus.CONFLICT, "evaluation_already_started", "bias evaluation " + evaluation.evaluationId()
                + " is " + evaluation.status() + "; an evaluation runs once",
                Map.of("field", "id", "status", evaluation.status()));
    }
}
