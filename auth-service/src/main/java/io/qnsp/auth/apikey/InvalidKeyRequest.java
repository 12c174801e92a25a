package io.qnsp.auth.apikey;

import io.qnsp.common.error.ApiException;
import io.qnsp.common.error.ErrorCodes;
import org.springframework.http.HttpStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fields of a key request break its rules (400): {@code details.field} names the first, {@code details.fields} all
 * of them, as the platform's other validation errors do.
 */
class InvalidKeyRequest extends ApiException {

    /** One broken rule. */
    record Problem(String field, String message) {
    }

    InvalidKeyRequest(String field, String message) {
        this(List.of(new Problem(field, message)), Map.of());
    }

    InvalidKeyRequest(List<Problem> problems, Map<String, Object> extra) {
        super(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST,
                "Validation failed: " + problems.getFirst().field() + " " + problems.getFirst().message(),
                details(problems, extra));
    }

    private static Map<String, Object> details(List<Problem> problems, Map<String, Object> extra) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", problems.getFirst().field());
        List<Map<String, Object>> fields = new ArrayList<>();
        for (Problem problem : problems) {
            fields.add(Map.of("field", problem.field(), "message", problem.message()));
        }
        details.put("fields", fields);
        details.putAll(extra);
        return details;
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
