package io.qnsp.kms.key;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The tenant already has a key of that name. */
class KeyNameTaken extends ApiException {

    KeyNameTaken() {
        super(HttpStatus.CONFLICT, "key_name_taken", "A key with this name already exists", Map.of("field", "name"));
    }
}
