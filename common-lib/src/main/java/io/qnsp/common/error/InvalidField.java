package io.qnsp.common.error;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A request whose fields break the service's rules (400 {@code invalid_request}), with the same details as every
 * other validation failure of the platform: {@code field} names the first offending field, {@code fields} lists
 * each one with its problem. Services throw it directly or extend it to name the fact
 * ({@code class UnsupportedAlgorithm extends InvalidField}).
 */
public class InvalidField extends ApiException {

    /** One broken rule: the field as the API spells it, and what is wrong with it. */
    public record Problem(String field, String message) {
    }

    public InvalidField(String field, String problem) {
        this(List.of(new Problem(field, problem)), Map.of());
    }

    public InvalidField(String field, String problem, Map<String, Object> extraDetails) {
        this(List.of(new Problem(field, problem)), extraDetails);
    }

    /** @param problems at least one, the first being the one {@code details.field} names */
    public InvalidField(List<Problem> problems, Map<String, Object> extraDetails) {
        super(HttpStatus.BAD_REQUEST, ErrorCodes.INVALID_REQUEST,
                "Validation failed: " + problems.getFirst().field() + " " + problems.getFirst().message(),
                details(problems, extraDetails));
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
    public static final class Problems {

        private final List<Problem> problems = new ArrayList<>();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        public void add(String field, String message) {
            problems.add(new Problem(field, message));
        }

        /** Takes over the problems of a validation that threw (e.g. a shared rule's). */
        public void addAll(InvalidField invalid) {
            if (invalid.details().get("fields") instanceof List<?> fields) {
                for (Object entry : fields) {
                    if (entry instanceof Map<?, ?> problem) {
                        add(String.valueOf(problem.get("field")), String.valueOf(problem.get("message")));
                    }
                }
            }
        }

        /**
         * The UUID the text spells, or {@code null} with the field's problem when it spells none; {@code null} for
         * no text (whether the field is required is the caller's rule).
         */
        public @Nullable UUID uuid(@Nullable String text, String field) {
            if (text == null) {
                return null;
            }
            try {
                return UUID.fromString(text.strip());
            } catch (IllegalArgumentException e) {
                add(field, "must be a UUID");
                return null;
            }
        }

        /**
         * The bytes the base64 text holds, or {@code null} with the field's problem when it is not base64;
         * {@code null} for no text. The problem never quotes the text, which may be a secret.
         */
        public byte @Nullable [] base64(@Nullable String text, String field) {
            if (text == null) {
                return null;
            }
            try {
                return Base64.getDecoder().decode(text.strip());
            } catch (IllegalArgumentException e) {
                add(field, "must be base64");
                return null;
            }
        }

        /**
         * The text without its surrounding whitespace, or {@code null} for none (with the field's problem when it is
         * required) or for a text longer than {@code max} characters (with that problem).
         */
        public @Nullable String text(@Nullable String value, String field, int max, boolean required) {
            if (value == null || value.isBlank()) {
                if (required) {
                    add(field, "is required");
                }
                return null;
            }
            String stripped = value.strip();
            if (stripped.length() > max) {
                add(field, "must be at most " + max + " characters");
                return null;
            }
            return stripped;
        }

        /** An extra entry of {@code details}, e.g. the allowed values. */
        public void detail(String name, Object value) {
            extra.put(name, value);
        }

        public boolean isEmpty() {
            return problems.isEmpty();
        }

        /** Throws an {@link InvalidField} with every problem collected, if there is any. */
        public void throwIfAny() {
            if (!problems.isEmpty()) {
                throw new InvalidField(problems, extra);
            }
        }
    }
}
