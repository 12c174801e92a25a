package io.qnsp.vault.dynamic;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * The config's backend cannot be reached: the request is answered 503 and may be repeated. A revocation that
 * failed this way is retried by the sweeper with backoff.
 */
public class BackendUnavailable extends ApiException {

    BackendUnavailable(String what) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "backend_unavailable", "The backend could not be reached; " + what,
                Map.of("dependency", "backend"));
    }
}
