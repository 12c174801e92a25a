package io.qnsp.auth.federation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The details of a 400 naming one field, in the shape the platform gives every validation failure. */
final class FieldProblems {

    private FieldProblems() {
    }

    static String message(String field, String problem) {
        return "Validation failed: " + field + " " + problem;
    }

    static Map<String, Object> details(String field, String problem, Map<String, Object> extra) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", field);
        details.put("fields", List.of(Map.of("field", field, "message", problem)));
        details.putAll(extra);
        return details;
    }
}
