package io.qnsp.ai.bias;

import java.util.UUID;

/** Published when an evaluation is started; the runner takes it once the start commits. */
record EvaluationStarted(UUID evaluationId) {
}
