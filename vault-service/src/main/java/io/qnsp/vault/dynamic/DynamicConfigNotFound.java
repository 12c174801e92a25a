package io.qnsp.vault.dynamic;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No dynamic secret config with that id exists for the caller's tenant (another tenant's is not found either). */
public class DynamicConfigNotFound extends ApiException {

    DynamicConfigNotFound() {
        super(HttpStatus.NOT_FOUND, "dynamic_secret_config_not_found", "No such dynamic secret configuration");
    }
}
