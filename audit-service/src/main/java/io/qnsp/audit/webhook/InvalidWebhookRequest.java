package io.qnsp.audit.webhook;

import io.qnsp.common.error.InvalidField;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fields of a webhook request break its rules (400): {@code details.field} names the first, {@code details.fields}
 * all of them. Messages never quote a secret.
 */
class InvalidWebhookRequest extends InvalidField {

    InvalidWebhookRequest(List<Problem> problems, Map<String, Object> extra) {
        super(problems, extra);
    }

    /** Collects every broken rule of one request, so the caller can fix them all at once. */
    static final class Problems {

        private final List<Problem> problems = new ArrayList<>();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        void add(String field, String message) {
            problems.add(new Problem(field, message));
        }

        /** Takes over the problems of a validation that threw (e.g. the URL policy's). */
        void addAll(InvalidField invalid) {
            if (invalid.details().get("fields") instanceof List<?> fields) {
                for (Object entry : fields) {
                    if (entry instanceof Map<?, ?> problem) {
                        add(String.valueOf(problem.get("field")), String.valueOf(problem.get("message")));
                    }
                }
            }
        }

        void detail(String name, Object value) {
            extra.put(name, value);
        }

        boolean isEmpty() {
            return problems.isEmpty();
        }

        void throwIfAny() {
            if (!problems.isEmpty()) {
                throw new InvalidWebhookRequest(problems, extra);
            }
        }
    }
}
