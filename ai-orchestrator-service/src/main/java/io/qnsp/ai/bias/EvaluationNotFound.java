package io.qnsp.ai.bias;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** No evaluation of that id in the caller's tenant (another tenant's included): 404. */
class EvaluationNotFound extends ApiException {

    EvaluationNotFound(String evaluationId) {
        super(HttpStatus.NOT_FOUND, "evaluation_not_found", "no bias evaluation " + evaluationId,
                Map.of("evaluationId", evaluationId));
    }
}
