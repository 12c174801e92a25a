package io.qnsp.ratelimit.check.web;

import io.qnsp.common.error.InvalidField;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code POST /v1/check}, read the same way by both transports: a streaming parse of the one fixed
 * object (no data binding), then the rules below. {@code cost} may be left out: it defaults to 1 (spec 001).
 * Fields other than {@code apiKey} and {@code cost} are ignored. The annotations document the rules in the OpenAPI
 * document; {@link #read} enforces them.
 */
record CheckRequest(@NotBlank @Size(max = 256) String apiKey, @Nullable @Min(1) Integer cost) {

    static final int MAX_API_KEY_LENGTH = 256;
    private static final String BODY = "body";
    private static final JsonFactory JSON = new JsonFactory();

    /** The cost to charge: the one asked for, else 1. */
    int costOrDefault() {
        return cost == null ? 1 : cost;
    }

    /**
     * The request the body holds.
     *
     * @throws InvalidField naming {@code body} when it is empty, not well-formed JSON or not one object, the field
     *                      when a value has the wrong type, and every field that breaks a rule otherwise
     */
    static CheckRequest read(byte[] body) {
        String apiKey = null;
        Integer cost = null;
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidField(BODY, "is required");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidField(BODY, "must be a JSON object");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "apiKey" -> apiKey = text(parser, value, "apiKey");
                    case "cost" -> cost = integer(parser, value, "cost");
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new InvalidField(BODY, "must hold a single JSON object");
            }
        } catch (StreamReadException malformed) {
            throw notWellFormed(malformed);
        }
        return validated(apiKey, cost);
    }

    private static @Nullable String text(JsonParser parser, JsonToken value, String field) {
        return switch (value) {
            case VALUE_STRING -> parser.getString();
            case VALUE_NULL -> null;
            default -> throw new InvalidField(field, "must be a string");
        };
    }

    private static @Nullable Integer integer(JsonParser parser, JsonToken value, String field) {
        return switch (value) {
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> parser.getIntValue();
                // beyond an int: never a cost a bucket could hold, nor one of at least 1 when negative
                default -> throw new InvalidField(field, parser.getBigIntegerValue().signum() < 0
                        ? "must be greater than or equal to 1" : "is out of range");
            };
            case VALUE_NULL -> null;
            default -> throw new InvalidField(field, "must be an integer");
        };
    }

    /** The request, if its fields keep the rules; else every broken rule, in field order. */
    static CheckRequest validated(@Nullable String apiKey, @Nullable Integer cost) {
        InvalidField.Problems problems = new InvalidField.Problems();
        if (apiKey == null || apiKey.isBlank()) {
            problems.add("apiKey", "must not be blank");
        } else if (apiKey.length() > MAX_API_KEY_LENGTH) {
            problems.add("apiKey", "size must be between 0 and " + MAX_API_KEY_LENGTH);
        }
        if (cost != null && cost < 1) {
            problems.add("cost", "must be greater than or equal to 1");
        }
        problems.throwIfAny();
        return new CheckRequest(apiKey, cost);
    }

    private static InvalidField notWellFormed(StreamReadException malformed) {
        Map<String, Object> position = new LinkedHashMap<>();
        TokenStreamLocation location = malformed.getLocation();
        if (location != null && location.getLineNr() > 0) {
            position.put("line", location.getLineNr());
            position.put("column", location.getColumnNr());
        }
        // the parser's own text may quote the body (an API key): it is never passed on
        return new InvalidField(BODY, "is not well-formed JSON", position);
    }
}
