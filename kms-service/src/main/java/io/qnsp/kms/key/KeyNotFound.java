package io.qnsp.kms.key;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

/** No key with that id exists for the caller's tenant (another tenant's key is not found either). */
public class KeyNotFound extends ApiException {

    public KeyNotFound() {
        super(HttpStatus.NOT_FOUND, "key_not_found", "No such key");
    }
}
