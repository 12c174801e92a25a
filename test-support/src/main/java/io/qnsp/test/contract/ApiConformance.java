package io.qnsp.test.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks real exchanges against a service's OpenAPI document with Atlassian's validator. A response must be
 * described by the document: its status declared for the operation, its body matching the declared schema (no
 * undeclared field, no {@code null} where none is allowed, the declared media type). A request the service accepted
 * must be one the document allows; a request it refused may break the document, that is why it was refused. An
 * endpoint missing from the document may only answer with an error.
 */
public final class ApiConformance {

    private static final Set<String> NOT_DOCUMENTED = Set.of("validation.request.path.missing",
            "validation.request.operation.notAllowed");
    /** A stream's body is still being written when the exchange is recorded, and a HEAD answer has none. */
    private static final Set<String> BODY_NOT_SEEN = Set.of("validation.response.body.missing",
            "validation.response.body.schema.invalidJson", "validation.response.body.schema.unknownError");

    /** Array indices in a message's JSON path: the same break in every item of a list is one problem. */
    private static final Pattern INDEX = Pattern.compile("/\\d+(?=[/'\\]])");

    private final OpenApiInteractionValidator validator;

    public ApiConformance(String document) {
        // duplicate operation ids keep the validator from loading the document; ApiDocumentRules reports them, and
        // the exchanges are still checked against a copy with the ids made unique
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(withUniqueOperationIds(document))
                // a service ignores request fields it does not know, as Jackson does by default; an answer must not
                // carry fields its schema does not have, so responses stay strict
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request.body.schema.additionalProperties", ValidationReport.Level.IGNORE)
                        .build())
                .build();
    }

    private static String withUniqueOperationIds(String document) {
        ObjectMapper json = new ObjectMapper();
        JsonNode root;
        try {
            root = json.readTree(document);
        } catch (JsonProcessingException notJson) {
            return document;
        }
        Set<String> seen = new HashSet<>();
        boolean changed = false;
        for (JsonNode item : root.path("paths")) {
            for (JsonNode operation : item) {
                if (operation instanceof ObjectNode object && object.path("operationId").isTextual()) {
                    String id = object.path("operationId").asText();
                    String unique = id;
                    for (int n = 2; !seen.add(unique); n++) {
                        unique = id + "-" + n;
                    }
                    if (!unique.equals(id)) {
                        object.put("operationId", unique);
                        changed = true;
                    }
                }
            }
        }
        try {
            return changed ? json.writeValueAsString(root) : document;
        } catch (JsonProcessingException e) {
            return document;
        }
    }

    /** What in this exchange the document does not describe, one line each; empty when it conforms. */
    public List<String> violations(RecordedExchange exchange) {
        Request.Method method;
        try {
            method = Request.Method.valueOf(exchange.method().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return List.of();
        }
        if (method == Request.Method.OPTIONS || method == Request.Method.TRACE) {
            return List.of();
        }
        List<String> violations = new ArrayList<>();
        boolean accepted = exchange.status() < 400;
        ValidationReport requestReport = validator.validateRequest(request(exchange, method));
        boolean documented = requestReport.getMessages().stream().noneMatch(m -> NOT_DOCUMENTED.contains(m.getKey()));
        if (!documented) {
            if (accepted) {
                violations.add(exchange.describe() + ": the document has no such operation, yet it answered "
                        + exchange.status() + " " + exchange.responseExcerpt());
            }
            return violations;
        }
        if (accepted) {
            requestReport.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                    .forEach(m -> violations.add(exchange.describe() + ": accepted a request the document does not "
                            + "allow: " + text(m)));
        }
        ValidationReport responseReport = validator.validateResponse(exchange.path(), method, response(exchange));
        boolean bodySeen = !exchange.streamed() && !exchange.truncated() && method != Request.Method.HEAD;
        responseReport.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .filter(m -> bodySeen || !BODY_NOT_SEEN.contains(m.getKey()))
                .forEach(m -> violations.add(exchange.describe() + ": the response breaks the document: " + text(m)
                        + (m.getKey().contains("body") || m.getKey().contains("status")
                        ? "\n      body: " + exchange.responseExcerpt() : "")));
        return violations;
    }

    private static String text(ValidationReport.Message message) {
        return "[" + message.getKey() + "] " + INDEX.matcher(message.getMessage()).replaceAll("/*");
    }

    private static Request request(RecordedExchange exchange, Request.Method method) {
        SimpleRequest.Builder builder = new SimpleRequest.Builder(method, exchange.path());
        if (exchange.query() != null && !exchange.query().isEmpty()) {
            for (String pair : exchange.query().split("&")) {
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                builder.withQueryParam(name, value);
            }
        }
        exchange.requestHeaders().forEach(builder::withHeader);
        if (exchange.requestBody().length > 0) {
            builder.withBody(exchange.requestBody());
        }
        return builder.build();
    }

    private static SimpleResponse response(RecordedExchange exchange) {
        SimpleResponse.Builder builder = SimpleResponse.Builder.status(exchange.status());
        exchange.responseHeaders().forEach(builder::withHeader);
        if (exchange.responseBody().length > 0 && !exchange.streamed() && !exchange.truncated()) {
            builder.withBody(exchange.responseBody());
        }
        return builder.build();
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return text;
        }
    }
}
