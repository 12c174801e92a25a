package io.qnsp.ai.registry;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The model's lifecycle state does not allow the operation (e.g. deploying a deprecated model): 409. */
class ModelStateConflict extends ApiException {

    ModelStateConflict(String field, Model model, String problem) {
        super(HttpStatus.CONFLICT, "model_state_conflict", "model " + model.modelId() + " is " + model.status()
                + ": " + problem, Map.of("field", field, "modelId", model.modelId().toString(),
                "status", model.status()));
    }
}
