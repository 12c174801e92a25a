package io.qnsp.gateway.docs;

import io.qnsp.common.openapi.OpenApiAutoConfiguration;
import io.qnsp.common.openapi.OperationIds;
import io.qnsp.common.openapi.PublicEndpoints;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A service's OpenAPI document as a client of the gateway needs it:
 * <ul>
 *   <li>its paths as the gateway exposes them (a route that strips {@code /audit} exposes {@code /v1/events} as
 *       {@code /audit/v1/events}); a path no route leads to, such as an internal endpoint, is left out, and so are
 *       the schemas only it used;</li>
 *   <li>the gateway as its server;</li>
 *   <li>on paths the gateway authenticates, a JWT or an API key (which the gateway exchanges for a token) as the
 *       credentials, and the gateway's own 401 and 429, and its 403 for a suspended or cancelled tenant where that
 *       applies; on the paths open without credentials its 429 of the per-address limit when that is on; on every path the gateway's 503 when the service is down or
 *       too slow, and its 413 for a body too large; each with the error body of the path's family at the gateway.
 *       A failure the service documents with another body gets both, as {@code oneOf}.</li>
 * </ul>
 */
final class GatewayDocument {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");
    private static final String JSON = "application/json";
    private static final String COMPONENTS = "#/components/";

    private final RoutedServices routes;
    private final PublicEndpoints publicEndpoints;
    private final FamilyErrorBodies errorBodies;
    private final Predicate<String> suspensionApplies;
    private final boolean publicPathsLimited;
    private final ObjectNode securitySchemes;
    private final JsonMapper json = JsonMapper.shared();

    /**
     * @param suspensionApplies whether the gateway refuses a suspended tenant's calls on a path (authenticated paths
     *                          only are asked)
     * @param securitySchemes   the platform's schemes (the gateway's own document's), for documents that lack one the
     *                          gateway's operations need
     * @param publicPathsLimited whether requests without credentials are limited per client address
     */
    GatewayDocument(RoutedServices routes, PublicEndpoints publicEndpoints, FamilyErrorBodies errorBodies,
                    Predicate<String> suspensionApplies, ObjectNode securitySchemes, boolean publicPathsLimited) {
        this.publicPathsLimited = publicPathsLimited;
        this.routes = routes;
        this.publicEndpoints = publicEndpoints;
        this.errorBodies = errorBodies;
        this.suspensionApplies = suspensionApplies;
        this.securitySchemes = securitySchemes;
    }

    /** The service's document as seen through the gateway; anything but an OpenAPI document is left as it is. */
    String rewrite(RoutedServices.Service service, String body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (RuntimeException notJson) {
            return body;
        }
        if (!(root instanceof ObjectNode document) || !document.has("openapi")) {
            return body;
        }
        ObjectNode paths = exposedPaths(service, document);
        document.set("paths", paths);
        document.set("servers", json.createArrayNode().add(json.createObjectNode().put("url", "/")
                .put("description", "The QNSP gateway: every path as it exposes it")));
        ObjectNode components = object(document, "components");
        ObjectNode schemes = object(components, "securitySchemes");
        for (String scheme : List.of(OpenApiAutoConfiguration.BEARER_JWT, OpenApiAutoConfiguration.API_KEY)) {
            if (!schemes.has(scheme) && securitySchemes.has(scheme)) {
                schemes.set(scheme, securitySchemes.get(scheme).deepCopy());
            }
        }
        FamilyErrorBodies.Bodies errors = errorBodies.of(new ArrayList<>(paths.propertyNames()));
        paths.properties().forEach(path -> path.getValue().properties().forEach(entry -> {
            if (METHODS.contains(entry.getKey()) && entry.getValue() instanceof ObjectNode operation) {
                gatewayAnswers(path.getKey(), operation, document.get("security"), errors.refs().get(path.getKey()));
            }
        }));
        ObjectNode schemas = object(components, "schemas");
        errors.schemas().properties().forEach(entry -> {
            if (!schemas.has(entry.getKey())) {
                schemas.set(entry.getKey(), entry.getValue());
            }
        });
        removeUnreachableSchemas(document);
        return json.writeValueAsString(document);
    }

    /** The service's paths at the gateway's paths, each operation once per gateway path that reaches it. */
    private ObjectNode exposedPaths(RoutedServices.Service service, ObjectNode document) {
        Map<String, ObjectNode> exposed = new TreeMap<>();
        JsonNode paths = document.path("paths");
        paths.properties().forEach(path -> {
            Map<String, ObjectNode> items = new LinkedHashMap<>();
            path.getValue().properties().forEach(entry -> {
                if (!METHODS.contains(entry.getKey())) {
                    return;
                }
                HttpMethod method = HttpMethod.valueOf(entry.getKey().toUpperCase(Locale.ROOT));
                List<String> gatewayPaths = routes.exposures(service, path.getKey(), method);
                for (int i = 0; i < gatewayPaths.size(); i++) {
                    ObjectNode item = items.computeIfAbsent(gatewayPaths.get(i), gatewayPath -> {
                        ObjectNode copy = json.createObjectNode();
                        path.getValue().properties().forEach(field -> {
                            if (!METHODS.contains(field.getKey())) {
                                copy.set(field.getKey(), field.getValue().deepCopy());
                            }
                        });
                        return copy;
                    });
                    ObjectNode operation = (ObjectNode) entry.getValue().deepCopy();
                    // one operation reached at several gateway paths: the others' ids name their path
                    if (i > 0 && operation.path("operationId").isString()) {
                        operation.put("operationId", OperationIds.onPath(operation.path("operationId").asString(),
                                gatewayPaths.get(i)));
                    }
                    item.set(entry.getKey(), operation);
                }
            });
            exposed.putAll(items);
        });
        ObjectNode result = json.createObjectNode();
        exposed.forEach(result::set);
        return result;
    }

    private void gatewayAnswers(String path, ObjectNode operation, JsonNode documentSecurity, String error) {
        if (!publicEndpoints.isPublic(path)) {
            JsonNode security = operation.has("security") ? operation.get("security") : documentSecurity;
            operation.set("security", withGatewayCredentials(security));
            failure(operation, "401", "No valid credentials at the gateway: no token or API key, or one that is "
                    + "invalid, expired or revoked", error, null);
            if (suspensionApplies.test(path)) {
                failure(operation, "403", "The caller's tenant is suspended or cancelled for billing "
                        + "(TENANT_SUSPENDED)", error, null);
            }
            ObjectNode headers = json.createObjectNode();
            headers.set("Retry-After", header("Seconds until the request may be sent again", true));
            headers.set("X-RateLimit-Limit", header("The tightest window's limit", false));
            headers.set("X-RateLimit-Remaining", header("Requests left in the tightest window", false));
            headers.set("X-RateLimit-Reset", header("Unix time (seconds) the tightest window is full again", false));
            failure(operation, "429", "The caller's rate limit at the gateway (per tenant or per API key) is used up",
                    error, headers);
        } else if (publicPathsLimited) {
            ObjectNode headers = json.createObjectNode();
            headers.set("Retry-After", header("Seconds until the request may be sent again", true));
            failure(operation, "429", "Too many requests from the caller's address at the gateway (the limit on paths "
                    + "open without credentials); on the token endpoint also a client whose credentials were "
                    + "refused too often, paused", error, headers);
        }
        if (operation.has("requestBody")) {
            failure(operation, "413", "The request body is larger than the gateway accepts", error, null);
        }
        failure(operation, "503", "The service is not running, cannot be reached or did not answer in time (the "
                + "gateway's answer)", error, null);
        ObjectNode responses = (ObjectNode) operation.get("responses");
        Map<String, JsonNode> sorted = new TreeMap<>();
        responses.properties().forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        responses.removeAll();
        sorted.forEach(responses::set);
    }

    /**
     * Through the gateway an operation needs the gateway's credentials (a JWT, or an API key it exchanges for one)
     * besides whatever else the service asks; alternatives that ask more than another one are left out.
     */
    private ArrayNode withGatewayCredentials(JsonNode security) {
        List<ObjectNode> alternatives = new ArrayList<>();
        if (security == null || !security.isArray() || security.isEmpty()) {
            alternatives.add(json.createObjectNode());
        } else {
            security.forEach(alternative -> alternatives.add((ObjectNode) alternative));
        }
        List<ObjectNode> accepted = new ArrayList<>();
        for (ObjectNode alternative : alternatives) {
            ObjectNode withToken = alternative.deepCopy();
            withToken.putArray(OpenApiAutoConfiguration.BEARER_JWT);
            ObjectNode withKey = alternative.deepCopy();
            withKey.remove(OpenApiAutoConfiguration.BEARER_JWT);
            withKey.putArray(OpenApiAutoConfiguration.API_KEY);
            accepted.add(alternative.has(OpenApiAutoConfiguration.BEARER_JWT) ? alternative.deepCopy() : withToken);
            accepted.add(withKey);
        }
        ArrayNode result = json.createArrayNode();
        List<Set<String>> kept = new ArrayList<>();
        for (ObjectNode candidate : accepted) {
            Set<String> schemes = new LinkedHashSet<>(candidate.propertyNames());
            boolean redundant = kept.contains(schemes) || accepted.stream().anyMatch(other -> {
                Set<String> names = new LinkedHashSet<>(other.propertyNames());
                return schemes.containsAll(names) && !names.equals(schemes);
            });
            if (!redundant) {
                kept.add(schemes);
                result.add(candidate);
            }
        }
        return result;
    }

    /**
     * Documents a failure the gateway answers with the error body {@code error}: added when the operation lacks the
     * status, combined with the body it documents when that is another one.
     */
    private void failure(ObjectNode operation, String status, String description, String error, ObjectNode headers) {
        ObjectNode responses = object(operation, "responses");
        JsonNode existing = responses.get(status);
        if (existing instanceof ObjectNode response && response.has("$ref")) {
            return;
        }
        if (!(existing instanceof ObjectNode response)) {
            ObjectNode added = responses.putObject(status).put("description", description);
            if (headers != null) {
                added.set("headers", headers);
            }
            added.putObject("content").putObject(JSON).putObject("schema").put("$ref", error);
            return;
        }
        JsonNode content = response.get("content");
        if (!(content instanceof ObjectNode media) || media.isEmpty()) {
            response.putObject("content").putObject(JSON).putObject("schema").put("$ref", error);
        } else {
            for (Map.Entry<String, JsonNode> entry : media.properties()) {
                ObjectNode type = (ObjectNode) entry.getValue();
                JsonNode schema = type.get("schema");
                if (schema == null) {
                    type.putObject("schema").put("$ref", error);
                } else if (!refersTo(schema, error)) {
                    ObjectNode either = json.createObjectNode();
                    either.putArray("oneOf").add(schema).add(json.createObjectNode().put("$ref", error));
                    type.set("schema", either);
                }
            }
        }
        // the service's reason stays, the gateway's joins it
        String own = response.path("description").asString("");
        response.put("description", own.isBlank() ? description : own + "; or, from the gateway: " + description);
    }

    private static boolean refersTo(JsonNode schema, String ref) {
        if (ref.equals(schema.path("$ref").asString(null))) {
            return true;
        }
        for (JsonNode option : schema.path("oneOf")) {
            if (ref.equals(option.path("$ref").asString(null))) {
                return true;
            }
        }
        return false;
    }

    private ObjectNode header(String description, boolean required) {
        ObjectNode header = json.createObjectNode().put("description", description);
        if (required) {
            header.put("required", true);
        }
        header.putObject("schema").put("type", "integer").put("format", "int64");
        return header;
    }

    /** Keeps only the schemas the paths still refer to, directly or through other components. */
    private static void removeUnreachableSchemas(ObjectNode document) {
        JsonNode components = document.path("components");
        Set<String> reachable = new HashSet<>();
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(document.path("paths"));
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            if (node.isString() && node.asString().startsWith(COMPONENTS)) {
                String reference = node.asString().substring(COMPONENTS.length());
                int slash = reference.indexOf('/');
                if (slash > 0 && reachable.add(reference)) {
                    JsonNode target = components.path(reference.substring(0, slash)).path(reference.substring(
                            slash + 1));
                    if (!target.isMissingNode()) {
                        pending.push(target);
                    }
                }
            } else if (node.isContainer()) {
                node.forEach(pending::push);
            }
        }
        if (components.path("schemas") instanceof ObjectNode schemas) {
            List<String> unreachable = new ArrayList<>();
            schemas.propertyNames().forEach(name -> {
                if (!reachable.contains("schemas/" + name)) {
                    unreachable.add(name);
                }
            });
            unreachable.forEach(schemas::remove);
        }
    }

    private static ObjectNode object(ObjectNode parent, String name) {
        if (parent.get(name) instanceof ObjectNode existing) {
            return existing;
        }
        return parent.putObject(name);
    }
}
