package io.qnsp.kms.key;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The key exists but its state forbids the request (a disabled key does not encrypt, a deleted one nothing). */
class KeyNotUsable extends ApiException {

    KeyNotUsable(Key key, String what) {
        super(HttpStatus.CONFLICT, "key_state_conflict",
                "The key is " + key.state().apiName() + ": " + what, Map.of("state", key.state().apiName()));
    }
}
