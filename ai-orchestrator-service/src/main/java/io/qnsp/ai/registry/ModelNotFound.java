package io.qnsp.ai.registry;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** No model of that id in the caller's tenant (another tenant's model included): 404. */
public class ModelNotFound extends ApiException {

    public ModelNotFound(String modelId) {
        super(HttpStatus.NOT_FOUND, "model_not_found", "no model " + modelId, Map.of("modelId", modelId));
    }
}
