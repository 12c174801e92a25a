package io.qnsp.vault.dynamic;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant has a dynamic secret config of that name already. */
public class DynamicConfigNameTaken extends ApiException {

    DynamicConfigNameTaken() {
        super(HttpStatus.CONFLICT, "dynamic_secret_config_name_taken",
                "A dynamic secret configuration of that name exists", Map.of("field", "name"));
    }
}
