package io.qnsp.vault.secret;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No secret with that id exists for the caller's tenant (another tenant's is not found either). */
public class SecretNotFound extends ApiException {

    public SecretNotFound() {
        super(HttpStatus.NOT_FOUND, "secret_not_found", "No such secret");
    }
}
