package io.qnsp.gateway.docs;

import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.util.List;

/**
 * The routes serving each listed service's OpenAPI document at {@code /docs/<route>/v3/api-docs}: fetched from the
 * service's {@code /v3/api-docs}, with its {@code servers} replaced by the gateway's, so "Try it out" in the Swagger
 * UI goes through the gateway like any client.
 */
final class ServiceDocs {

    static final String PATH_PREFIX = "/docs/";
    static final String API_DOCS = "/v3/api-docs";

    private final JsonMapper json = JsonMapper.shared();

    private ServiceDocs() {
    }

    /** Where the UI finds a service's document. */
    static String documentPath(String route) {
        return PATH_PREFIX + route + API_DOCS;
    }

    static RouteLocator routes(RouteLocatorBuilder builder, GatewayProperties gateway, DocsProperties docs) {
        ServiceDocs rewriter = new ServiceDocs();
        RouteLocatorBuilder.Builder routes = builder.routes();
        for (DocsProperties.Service service : docs.services()) {
            URI uri = routeUri(gateway.getRoutes(), service.route());
            routes.route("docs-" + service.route(), route -> route
                    .method(HttpMethod.GET).and().path(documentPath(service.route()))
                    .filters(filters -> filters
                            .setPath(API_DOCS)
                            .modifyResponseBody(String.class, String.class,
                                    (exchange, body) -> rewriter.withServer(exchange, body, service.serverUrl())))
                    .uri(uri));
        }
        return routes.build();
    }

    private static URI routeUri(List<RouteDefinition> definitions, String id) {
        return definitions.stream()
                .filter(definition -> id.equals(definition.getId()))
                .map(RouteDefinition::getUri)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("qnsp.gateway.docs.services names route '" + id
                        + "', but no route in spring.cloud.gateway.server.webflux.routes has that id"));
    }

    private Mono<String> withServer(ServerWebExchange exchange, String body, String serverUrl) {
        if (body == null) {
            return Mono.empty();
        }
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        if (status != null && !status.is2xxSuccessful()) {
            return Mono.just(body);
        }
        JsonNode document;
        try {
            document = json.readTree(body);
        } catch (RuntimeException notJson) {
            return Mono.just(body);
        }
        if (!(document instanceof ObjectNode object) || !object.has("openapi")) {
            return Mono.just(body);
        }
        ArrayNode servers = object.putArray("servers");
        servers.addObject().put("url", serverUrl).put("description", "through the QNSP gateway");
        return Mono.just(json.writeValueAsString(object));
    }
}
