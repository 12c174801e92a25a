package io.qnsp.ai.registry;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant already registered a model of that name and version: 409. */
class ModelVersionTaken extends ApiException {

    ModelVersionTaken(String name, String version) {
        super(HttpStatus.CONFLICT, "model_version_taken", "model '" + name + "' version '" + version
                + "' is already registered", Map.of("field", "version"));
    }
}
