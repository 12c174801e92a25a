package io.qnsp.common.openapi;

import io.qnsp.common.error.ApiFamilies;
import io.qnsp.common.error.ErrorFamily;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.http.HttpStatus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The platform's conventions, applied to every operation of a service's document once springdoc has built it:
 * <ul>
 *   <li>security: an explicitly empty requirement on public paths, otherwise the schemes that authenticate a caller:
 *       a bearer JWT, or the operator's admin token where the service has one (it authenticates a platform operator
 *       on any path, and the admin role holds every scope);</li>
 *   <li>errors: each failure the platform's shared mechanisms answer for this kind of operation (invalid input,
 *       authentication, authorization, unknown resource, body too large or of the wrong type, quota), plus any the
 *       code declared with {@code @ApiResponse}, all with the error body of the path's API family;</li>
 *   <li>the DataHub family's success envelope around the data a controller returns on DataHub paths;</li>
 *   <li>operation ids as declared, never renamed with numeric suffixes that depend on the order controllers are
 *       found in, so a clash is visible to the document test instead of silently changing generated client method
 *       names; only a method mapped to several paths gets one id per path, named after the path.</li>
 * </ul>
 */
final class PlatformDocumentCustomizer implements GlobalOpenApiCustomizer {

    private final ApiFamilies families;
    private final PublicEndpoints publicEndpoints;
    private final boolean adminToken;
    private final boolean servlet;

    /**
     * @param servlet whether this is a servlet service on common-lib's web stack: its security firewall refuses a
     *                malformed request on any path with 400, and common-lib wraps DataHub answers in the envelope
     *                for its controllers (a reactive service builds its envelopes itself and documents them as
     *                they are)
     */
    PlatformDocumentCustomizer(ApiFamilies families, PublicEndpoints publicEndpoints, boolean adminToken,
                               boolean servlet) {
        this.families = families;
        this.publicEndpoints = publicEndpoints;
        this.adminToken = adminToken;
        this.servlet = servlet;
    }

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        Components components = openApi.getComponents();
        ErrorSchemas.addTo(components);
        if (openApi.getPaths() != null) {
            onePerPath(openApi);
            openApi.getPaths().forEach((path, item) -> {
                for (Map.Entry<PathItem.HttpMethod, Operation> entry : item.readOperationsMap().entrySet()) {
                    apply(path, item, entry.getValue(), components);
                }
            });
        }
        removeUnreferencedSchemas(openApi);
    }

    private void apply(String path, PathItem item, Operation operation, Components components) {
        ErrorFamily family = families.ofPath(path);
        boolean open = publicEndpoints.isPublic(path);
        if (operation.getSecurity() == null) {
            operation.setSecurity(open ? new ArrayList<>() : callerSchemes());
        }
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        if (family == ErrorFamily.DATAHUB && servlet) {
            envelope(operation, components);
        }
        errors(path, item, operation, family, open);
        if (operation.getExtensions() != null) {
            ControlsOperationCustomizer.MARKS.forEach(operation.getExtensions()::remove);
            if (operation.getExtensions().isEmpty()) {
                operation.setExtensions(null);
            }
        }
    }

    /** A handler mapped to several paths appears once per path, all with its one id: each gets the path in it. */
    private static void onePerPath(OpenAPI openApi) {
        Map<String, List<Map.Entry<String, Operation>>> byId = new LinkedHashMap<>();
        openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
            if (operation.getOperationId() != null) {
                byId.computeIfAbsent(operation.getOperationId(), id -> new ArrayList<>())
                        .add(Map.entry(path, operation));
            }
        }));
        byId.forEach((id, operations) -> {
            if (operations.size() < 2) {
                return;
            }
            Set<Object> handlers = new HashSet<>();
            operations.forEach(entry -> handlers.add(handler(entry.getValue())));
            if (handlers.size() == 1 && !handlers.contains(null)) {
                operations.forEach(entry -> entry.getValue().setOperationId(OperationIds.onPath(id, entry.getKey())));
            }
        });
    }

    private static Object handler(Operation operation) {
        return operation.getExtensions() == null ? null
                : operation.getExtensions().get(ControlsOperationCustomizer.MARK_HANDLER);
    }

    private List<SecurityRequirement> callerSchemes() {
        List<SecurityRequirement> schemes = new ArrayList<>();
        schemes.add(new SecurityRequirement().addList(OpenApiAutoConfiguration.BEARER_JWT));
        if (adminToken) {
            schemes.add(new SecurityRequirement().addList(OpenApiAutoConfiguration.ADMIN_TOKEN));
        }
        return schemes;
    }

    private void errors(String path, PathItem item, Operation operation, ErrorFamily family, boolean open) {
        ApiResponses responses = operation.getResponses();
        // what the shared mechanisms answer is known for operations of controllers; one a service documents itself
        // (e.g. an endpoint served by a filter) lists its own responses
        if (handler(operation) != null) {
            mechanismFailures(path, item, operation, open);
        }
        if (servlet) {
            declare(responses, HttpStatus.BAD_REQUEST,
                    "The request is malformed: the firewall refuses its URL or a header");
        }
        // every error response carries the family's error body: springdoc gives a declared one without content the
        // success body, which an error never has; content an @ApiResponse wrote out stands
        Set<Schema<?>> successBodies = new HashSet<>();
        responses.forEach((code, response) -> {
            if (code.startsWith("2") && response.getContent() != null) {
                response.getContent().values().forEach(media -> successBodies.add(media.getSchema()));
            }
        });
        Schema<?> error = new Schema<>().$ref(ErrorSchemas.ref(ErrorSchemas.name(family)));
        responses.forEach((code, response) -> {
            boolean declared = response.getExtensions() != null
                    && response.getExtensions().remove(ControlsOperationCustomizer.MARK_DECLARED_CONTENT) != null;
            if (response.getExtensions() != null && response.getExtensions().isEmpty()) {
                response.setExtensions(null);
            }
            if (isError(code) && !declared && response.get$ref() == null && (response.getContent() == null
                    || response.getContent().values().stream().allMatch(media -> media.getSchema() == null
                    || successBodies.contains(media.getSchema())))) {
                response.setContent(new Content().addMediaType(
                        org.springframework.http.MediaType.APPLICATION_JSON_VALUE, new MediaType().schema(error)));
            }
        });
        operation.setResponses(sorted(responses));
    }

    private static void mechanismFailures(String path, PathItem item, Operation operation, boolean open) {
        ApiResponses responses = operation.getResponses();
        boolean body = operation.getRequestBody() != null;
        if (body || hasCheckedParameters(item, operation)) {
            declare(responses, HttpStatus.BAD_REQUEST, "The request is invalid; details name the field");
        }
        boolean controlled = ControlsOperationCustomizer.marked(operation, ControlsOperationCustomizer.MARK_AUTHORIZED)
                || ControlsOperationCustomizer.marked(operation, ControlsOperationCustomizer.MARK_ADMIN);
        boolean secured = !open && !operation.getSecurity().isEmpty();
        if (secured || controlled || ControlsOperationCustomizer.marked(operation,
                ControlsOperationCustomizer.MARK_CALLER)) {
            declare(responses, HttpStatus.UNAUTHORIZED, "No valid credentials came with the request");
        }
        if (controlled) {
            declare(responses, HttpStatus.FORBIDDEN, "The caller lacks a scope, role or add-on this needs");
        }
        if (path.contains("{")) {
            declare(responses, HttpStatus.NOT_FOUND, "Nothing with this id exists for the caller");
        }
        if (answersWithContent(responses)) {
            declare(responses, HttpStatus.NOT_ACCEPTABLE, "The Accept header allows none of the answer's media types");
        }
        if (body) {
            declare(responses, HttpStatus.CONTENT_TOO_LARGE, "The request body is larger than the service accepts");
            declare(responses, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "The request body is not of a supported type");
        }
        if (ControlsOperationCustomizer.marked(operation, ControlsOperationCustomizer.MARK_QUOTA)) {
            declare(responses, HttpStatus.TOO_MANY_REQUESTS, "The tenant's quota for this resource is used up");
        }
    }

    private static boolean answersWithContent(ApiResponses responses) {
        return responses.entrySet().stream().anyMatch(entry -> entry.getKey().startsWith("2")
                && entry.getValue().getContent() != null && !entry.getValue().getContent().isEmpty());
    }

    /** Whether a parameter could be refused: anything but an unconstrained string path segment can be. */
    private static boolean hasCheckedParameters(PathItem item, Operation operation) {
        List<Parameter> parameters = new ArrayList<>();
        if (item.getParameters() != null) {
            parameters.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            parameters.addAll(operation.getParameters());
        }
        for (Parameter parameter : parameters) {
            if (!"path".equals(parameter.getIn())) {
                return true;
            }
            Schema<?> schema = parameter.getSchema();
            if (schema == null || !"string".equals(schema.getType()) || schema.getFormat() != null
                    || schema.getPattern() != null || schema.getMaxLength() != null || schema.getEnum() != null) {
                return true;
            }
        }
        return false;
    }

    private static void declare(ApiResponses responses, HttpStatus status, String description) {
        String code = Integer.toString(status.value());
        if (!responses.containsKey(code)) {
            responses.addApiResponse(code, new ApiResponse().description(description));
        }
    }

    private static boolean isError(String code) {
        return code.length() == 3 && (code.charAt(0) == '4' || code.charAt(0) == '5');
    }

    private static ApiResponses sorted(ApiResponses responses) {
        ApiResponses ordered = new ApiResponses();
        responses.keySet().stream().sorted().forEach(code -> ordered.addApiResponse(code, responses.get(code)));
        ordered.setExtensions(responses.getExtensions());
        return ordered;
    }

    /** DataHub answers wrap the data: {@code {success, data, meta}}, and a page adds {@code pagination}. */
    private static void envelope(Operation operation, Components components) {
        boolean paged = ControlsOperationCustomizer.marked(operation, ControlsOperationCustomizer.MARK_PAGED);
        operation.getResponses().forEach((code, response) -> {
            if (!code.startsWith("2") || response.getContent() == null) {
                return;
            }
            response.getContent().forEach((mediaType, content) -> {
                if (content.getSchema() == null || !isJson(mediaType)) {
                    return;
                }
                Schema<?> data = content.getSchema();
                if (paged) {
                    data = pageItems(data, components);
                }
                Schema<Object> envelope = new ObjectSchema();
                envelope.addProperty("success", new BooleanSchema()._enum(List.of(true)));
                envelope.addProperty("data", data);
                List<String> required = new ArrayList<>(List.of("success", "data", "meta"));
                if (paged) {
                    envelope.addProperty("pagination", new Schema<>().$ref(
                            ErrorSchemas.ref(ErrorSchemas.DATAHUB_PAGINATION)));
                    required.add(2, "pagination");
                }
                envelope.addProperty("meta", new Schema<>().$ref(ErrorSchemas.ref(ErrorSchemas.DATAHUB_META)));
                envelope.setRequired(required);
                content.setSchema(envelope);
            });
        });
    }

    /** A {@code Paged<T>} record's {@code items} schema: the array the envelope carries as {@code data}. */
    private static Schema<?> pageItems(Schema<?> page, Components components) {
        Schema<?> model = page;
        if (page.get$ref() != null && components.getSchemas() != null) {
            model = components.getSchemas().get(page.get$ref().substring(page.get$ref().lastIndexOf('/') + 1));
        }
        if (model == null || model.getProperties() == null || !model.getProperties().containsKey("items")) {
            throw new IllegalStateException("a Paged answer's schema has no items: " + page);
        }
        return model.getProperties().get("items");
    }

    private static boolean isJson(String mediaType) {
        return mediaType.equals("*/*") || mediaType.contains("json");
    }

    /** Schemas nothing refers to any more (e.g. a page record the envelope replaced) are left out. */
    private static void removeUnreferencedSchemas(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        if (schemas == null) {
            return;
        }
        Set<String> reachable = new HashSet<>();
        Deque<Schema<?>> pending = new ArrayDeque<>();
        if (openApi.getPaths() != null) {
            openApi.getPaths().values().forEach(item -> {
                List<Parameter> parameters = new ArrayList<>();
                if (item.getParameters() != null) {
                    parameters.addAll(item.getParameters());
                }
                item.readOperations().forEach(operation -> {
                    if (operation.getParameters() != null) {
                        parameters.addAll(operation.getParameters());
                    }
                    if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                        operation.getRequestBody().getContent().values().forEach(media -> push(pending, media));
                    }
                    if (operation.getResponses() != null) {
                        operation.getResponses().values().forEach(response -> {
                            if (response.getContent() != null) {
                                response.getContent().values().forEach(media -> push(pending, media));
                            }
                        });
                    }
                });
                parameters.forEach(parameter -> {
                    if (parameter.getSchema() != null) {
                        pending.push(parameter.getSchema());
                    }
                });
            });
        }
        while (!pending.isEmpty()) {
            Schema<?> schema = pending.pop();
            if (schema.get$ref() != null) {
                String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
                if (reachable.add(name) && schemas.get(name) != null) {
                    pending.push(schemas.get(name));
                }
            }
            children(schema).forEach(pending::push);
        }
        Map<String, Schema> kept = new LinkedHashMap<>();
        schemas.forEach((name, schema) -> {
            if (reachable.contains(name)) {
                kept.put(name, schema);
            }
        });
        openApi.getComponents().setSchemas(kept.isEmpty() ? null : kept);
        removeUnusedSecuritySchemes(openApi);
    }

    /** A scheme no operation names (the API key, in a service the gateway exchanges keys for) is left out. */
    private static void removeUnusedSecuritySchemes(OpenAPI openApi) {
        Map<String, SecurityScheme> schemes = openApi.getComponents().getSecuritySchemes();
        if (schemes == null || openApi.getPaths() == null) {
            return;
        }
        Set<String> used = new HashSet<>();
        if (openApi.getSecurity() != null) {
            openApi.getSecurity().forEach(requirement -> used.addAll(requirement.keySet()));
        }
        openApi.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
            if (operation.getSecurity() != null) {
                operation.getSecurity().forEach(requirement -> used.addAll(requirement.keySet()));
            }
        }));
        schemes.keySet().removeIf(name -> !used.contains(name));
    }

    private static void push(Deque<Schema<?>> pending, MediaType media) {
        if (media.getSchema() != null) {
            pending.push(media.getSchema());
        }
    }

    @SuppressWarnings("rawtypes")
    private static List<Schema<?>> children(Schema<?> schema) {
        List<Schema<?>> children = new ArrayList<>();
        if (schema.getProperties() != null) {
            for (Schema property : schema.getProperties().values()) {
                children.add(property);
            }
        }
        if (schema.getItems() != null) {
            children.add(schema.getItems());
        }
        for (List<Schema> composed : List.of(nonNull(schema.getAllOf()), nonNull(schema.getAnyOf()),
                nonNull(schema.getOneOf()))) {
            for (Schema part : composed) {
                children.add(part);
            }
        }
        if (schema.getNot() != null) {
            children.add(schema.getNot());
        }
        if (schema.getAdditionalProperties() instanceof Schema<?> additional) {
            children.add(additional);
        }
        return children;
    }

    @SuppressWarnings("rawtypes")
    private static List<Schema> nonNull(List<Schema> list) {
        return list == null ? List.of() : list;
    }
}
