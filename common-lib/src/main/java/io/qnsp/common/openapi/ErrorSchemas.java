package io.qnsp.common.openapi;

import io.qnsp.common.error.ErrorFamily;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;

import java.util.List;

/**
 * The error body of each API family, and the DataHub family's success envelope parts, as named schemas: the shapes
 * {@link ErrorFamily#body} and {@code DataHubEnvelope} write, so every documented error response refers to one of
 * them.
 */
final class ErrorSchemas {

    static final String DATAHUB_META = "DataHubMeta";
    static final String DATAHUB_PAGINATION = "DataHubPagination";

    private ErrorSchemas() {
    }

    /** The component name of a family's error body. */
    static String name(ErrorFamily family) {
        return switch (family) {
            case QNSP -> "QnspError";
            case DATAHUB -> "DataHubError";
            case KPI -> "KpiError";
            case RATELIMIT -> "RateLimitError";
        };
    }

    static String ref(String name) {
        return Components.COMPONENTS_SCHEMAS_REF + name;
    }

    /** Adds every family's error schema and the envelope parts. */
    static void addTo(Components components) {
        for (ErrorFamily family : ErrorFamily.values()) {
            components.addSchemas(name(family), schema(family));
        }
        components.addSchemas(DATAHUB_META, object("Identifies the answer: the request id and when it was made.",
                List.of("requestId", "timestamp"))
                .addProperty("requestId", requestId())
                .addProperty("timestamp", new StringSchema().format("date-time")));
        components.addSchemas(DATAHUB_PAGINATION, object("Where this page lies in the whole list.",
                List.of("page", "pageSize", "totalItems", "totalPages"))
                .addProperty("page", new IntegerSchema().minimum(java.math.BigDecimal.ONE).description("From 1"))
                .addProperty("pageSize", new IntegerSchema().minimum(java.math.BigDecimal.ONE))
                .addProperty("totalItems", new IntegerSchema().format("int64"))
                .addProperty("totalPages", new IntegerSchema().format("int64")));
    }

    private static Schema<?> schema(ErrorFamily family) {
        return switch (family) {
            case QNSP -> object("A QNSP API error.",
                    List.of("statusCode", "error", "message", "details", "requestId", "timestamp"))
                    .addProperty("statusCode", new IntegerSchema().description("The HTTP status, repeated"))
                    .addProperty("error", new StringSchema().description("Upper snake case, e.g. BAD_REQUEST, "
                            + "UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, RATE_LIMITED"))
                    .addProperty("message", new StringSchema())
                    .addProperty("details", details())
                    .addProperty("requestId", requestId())
                    .addProperty("timestamp", new StringSchema().format("date-time"));
            case DATAHUB -> object("A DataHub API error.", List.of("success", "error", "meta"))
                    .addProperty("success", new BooleanSchema()._enum(List.of(false)))
                    .addProperty("error", object(null, List.of("code", "message", "details"))
                            .addProperty("code", new StringSchema().description("e.g. VALIDATION_ERROR, "
                                    + "MISSING_API_KEY, INVALID_API_KEY, INSUFFICIENT_SCOPE, NOT_FOUND, "
                                    + "RATE_LIMIT_EXCEEDED"))
                            .addProperty("message", new StringSchema())
                            .addProperty("details", details()))
                    .addProperty("meta", new Schema<>().$ref(ref(DATAHUB_META)));
            case KPI, RATELIMIT -> object(family == ErrorFamily.KPI ? "A KPI store error." : "A rate-limit API error.",
                    List.of("error", "message", "details", "requestId"))
                    .addProperty("error", new StringSchema().description("Lower snake case, e.g. invalid_request, "
                            + "unauthorized, forbidden, not_found, rate_limited"))
                    .addProperty("message", new StringSchema())
                    .addProperty("details", details())
                    .addProperty("requestId", requestId());
        };
    }

    /** Null only for a request refused before it was given an id (e.g. by the URL firewall). */
    private static Schema<?> requestId() {
        return new StringSchema().nullable(true).description("The request id (X-Request-Id)");
    }

    private static Schema<?> details() {
        return new ObjectSchema().additionalProperties(true)
                .description("Facts about the failure, e.g. field and fields for invalid input");
    }

    @SuppressWarnings("unchecked")
    private static Schema<Object> object(String description, List<String> required) {
        Schema<Object> schema = new ObjectSchema();
        schema.setRequired(required);
        if (description != null) {
            schema.setDescription(description);
        }
        return schema;
    }
}
