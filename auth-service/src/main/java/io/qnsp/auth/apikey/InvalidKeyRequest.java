package io.qnsp.auth.apikey;

import io.qnsp.common.error.InvalidField;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fields of a key request break its rules (400): {@code details.field} names the first, {@code details.fields} all
 * of them, as the platform's other validation errors do.
 */
class InvalidKeyRequest extends InvalidField {

    InvalidKeyRequest(String field, String message) {
        super(field, message);
    }

    InvalidKeyRequest(List<Problem> problems, Map<String, Object> extra) {
        super(problems, extra);
    }

    /** Collects every broken rule of one request, so the caller can fix them all at once. */
    static final class Problems {

        private final List<Problem> problems = new ArrayList<>();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        void add(String field, String message) {
            problems.add(new Problem(field, message));
        }

        void detail(String name, Object value) {
            extra.put(name, value);
        }

        void throwIfAny() {
            if (!problems.isEmpty()) {
                throw new InvalidKeyRequest(problems, extra);
            }
        }
    }
}
