package io.qnsp.vault.envelope;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * A service the vault needs (kms-service for data keys, auth-service for the vault's token) cannot be reached or
 * refuses the vault: the request is answered 503 {@code DEPENDENCY_DOWN} and nothing is written.
 */
public class DependencyDown extends ApiException {

    DependencyDown(String dependency, String why) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "dependency_down", dependency + " " + why
                + "; nothing was changed, try again later", Map.of("dependency", dependency));
    }
}
