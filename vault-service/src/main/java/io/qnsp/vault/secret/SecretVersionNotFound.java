package io.qnsp.vault.secret;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/** The secret exists but has no such version: never written, or removed from the history by its retention policy. */
class SecretVersionNotFound extends ApiException {

    SecretVersionNotFound(String field, int version) {
        super(HttpStatus.NOT_FOUND, "version_not_found", "The secret has no version " + version,
                Map.of("field", field, "version", version));
    }

    SecretVersionNotFound() {
        super(HttpStatus.NOT_FOUND, "version_not_found", "The secret has no such version");
    }
}
