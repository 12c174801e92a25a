package io.qnsp.vault.leak;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No stored secret with that id exists for the caller's tenant (another tenant's is not found either). */
public class SecretNotFound extends ApiException {

    SecretNotFound() {
        super(HttpStatus.NOT_FOUND, "secret_not_found", "No such secret");
    }
}
