package io.qnsp.kms.key;

import io.qnsp.common.error.ApiException;
import org.springframework.http.HttpStatus;

import java.util.Map;

/**
 * A ciphertext (or encapsulation) this tenant's keys cannot open: altered, truncated, made for another encryption
 * context or by a key the caller does not have. Deliberately one answer for all of them.
 */
public class InvalidCiphertext extends ApiException {

    InvalidCiphertext() {
        super(HttpStatus.BAD_REQUEST, "invalid_ciphertext",
                "The ciphertext cannot be decrypted: it was altered, or made for another key or encryption context",
                Map.of("field", "ciphertext"));
    }

    InvalidCiphertext(String field) {
        super(HttpStatus.BAD_REQUEST, "invalid_ciphertext",
                "The " + field + " cannot be used: it was altered, or made for another key", Map.of("field", field));
    }
}
