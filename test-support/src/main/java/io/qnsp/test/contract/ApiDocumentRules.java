package io.qnsp.test.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules every service's OpenAPI document keeps, so that a client generated from it works: the document parses
 * and every reference resolves; every operation declares its security requirement (an empty one for public paths),
 * a summary, a unique operation id that no tool renamed, at least one 4XX response; no query parameter is a
 * required object, which no client could send; and no schema is {@code nullable} without a {@code type}.
 */
public final class ApiDocumentRules {

    private static final Pattern SUFFIXED = Pattern.compile(".+_\\d+$");
    private static final Pattern REFERENCE = Pattern.compile("\"\\$ref\"\\s*:\\s*\"([^\"]+)\"");

    private ApiDocumentRules() {
    }

    /** What in this document breaks the rules, one line each; empty when it keeps them all. */
    public static List<String> violations(String document) {
        List<String> violations = new ArrayList<>();
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);
        if (result.getMessages() != null) {
            result.getMessages().forEach(message -> violations.add("does not parse: " + message));
        }
        OpenAPI api = result.getOpenAPI();
        if (api == null) {
            violations.add("is no OpenAPI document");
            return violations;
        }
        unresolvedReferences(document, api.getComponents()).forEach(ref ->
                violations.add("refers to " + ref + ", which the document does not define"));
        nullableWithoutType(document).forEach(pointer -> violations.add(pointer
                + ": nullable without a type, which OpenAPI 3.0 ignores (a client cannot tell it may be null)"));
        if (api.getPaths() == null || api.getPaths().isEmpty()) {
            violations.add("documents no operation");
            return violations;
        }
        Map<String, List<String>> operationIds = new HashMap<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            String name = method + " " + path;
            check(name, item, operation, api, violations);
            if (operation.getOperationId() != null) {
                operationIds.computeIfAbsent(operation.getOperationId(), id -> new ArrayList<>()).add(name);
            }
        }));
        operationIds.forEach((id, operations) -> {
            if (operations.size() > 1) {
                violations.add("operationId '" + id + "' is used by " + String.join(", ", operations));
            }
        });
        return violations;
    }

    private static void check(String name, PathItem item, Operation operation, OpenAPI api, List<String> violations) {
        if (operation.getSecurity() == null && api.getSecurity() == null) {
            violations.add(name + ": declares no security requirement (an empty list for a public endpoint)");
        }
        if (operation.getSummary() == null || operation.getSummary().isBlank()) {
            violations.add(name + ": has no summary");
        }
        String id = operation.getOperationId();
        if (id == null || id.isBlank()) {
            violations.add(name + ": has no operationId");
        } else if (SUFFIXED.matcher(id).matches()) {
            violations.add(name + ": operationId '" + id + "' carries a numeric suffix, the mark of a renamed clash");
        }
        if (operation.getResponses() == null || operation.getResponses().keySet().stream()
                .noneMatch(code -> code.startsWith("4"))) {
            violations.add(name + ": declares no 4XX response");
        }
        List<Parameter> parameters = new ArrayList<>();
        if (item.getParameters() != null) {
            parameters.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            parameters.addAll(operation.getParameters());
        }
        for (Parameter parameter : parameters) {
            if ("query".equals(parameter.getIn()) && Boolean.TRUE.equals(parameter.getRequired())
                    && isObject(parameter.getSchema(), api.getComponents())) {
                violations.add(name + ": query parameter '" + parameter.getName()
                        + "' is a required object, which no client can send");
            }
        }
    }

    private static List<String> nullableWithoutType(String document) {
        List<String> pointers = new ArrayList<>();
        try {
            walk(new ObjectMapper().readTree(document), "#", pointers);
        } catch (JsonProcessingException notJson) {
            // the parser has reported it
        }
        return pointers;
    }

    private static void walk(JsonNode node, String pointer, List<String> found) {
        if (node.isObject()) {
            if (node.path("nullable").asBoolean(false) && !node.has("type")) {
                found.add(pointer);
            }
            node.properties().forEach(field -> walk(field.getValue(), pointer + "/" + field.getKey(), found));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, found);
            }
        }
    }

    private static boolean isObject(Schema<?> schema, Components components) {
        if (schema == null) {
            return false;
        }
        if (schema.get$ref() != null) {
            String target = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            Schema<?> resolved = components == null || components.getSchemas() == null ? null
                    : components.getSchemas().get(target);
            return resolved == null || isObject(resolved, components);
        }
        return "object".equals(schema.getType()) || schema.getProperties() != null;
    }

    private static Set<String> unresolvedReferences(String document, Components components) {
        Set<String> unresolved = new TreeSet<>();
        Matcher matcher = REFERENCE.matcher(document);
        while (matcher.find()) {
            String ref = matcher.group(1);
            if (!ref.startsWith("#/components/")) {
                unresolved.add(ref);
                continue;
            }
            String[] parts = ref.substring("#/components/".length()).split("/", 2);
            if (parts.length != 2 || !defined(components, parts[0], parts[1])) {
                unresolved.add(ref);
            }
        }
        return unresolved;
    }

    private static boolean defined(Components components, String kind, String name) {
        if (components == null) {
            return false;
        }
        Map<String, ?> defined = switch (kind) {
            case "schemas" -> components.getSchemas();
            case "responses" -> components.getResponses();
            case "parameters" -> components.getParameters();
            case "requestBodies" -> components.getRequestBodies();
            case "headers" -> components.getHeaders();
            case "securitySchemes" -> components.getSecuritySchemes();
            case "examples" -> components.getExamples();
            default -> null;
        };
        return defined != null && defined.containsKey(name);
    }
}
