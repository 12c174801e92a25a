package io.qnsp.gateway.docs;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * The routes serving each routed service's OpenAPI document at {@code /docs/<service>/v3/api-docs}: fetched from the
 * service's {@code /v3/api-docs} and rewritten for clients of the gateway ({@link GatewayDocument}). A service that
 * is not running, cannot be reached or does not answer in time gets a 503 naming it; whatever else the service
 * answers is passed on.
 */
final class ServiceDocs {

    static final String PATH_PREFIX = "/docs/";
    static final String API_DOCS = "/v3/api-docs";

    private ServiceDocs() {
    }

    /** Where the UI finds a service's document. */
    static String documentPath(String service) {
        return PATH_PREFIX + service + API_DOCS;
    }

    static RouteLocator routes(RouteLocatorBuilder builder, RoutedServices services, GatewayDocument documents) {
        RouteLocatorBuilder.Builder routes = builder.routes();
        for (RoutedServices.Service service : services.services()) {
            routes.route("docs-" + service.name(), route -> route
                    .method(HttpMethod.GET).and().path(documentPath(service.name()))
                    .filters(filters -> filters
                            .setPath(API_DOCS)
                            .filter(unavailableAs503(service.name()))
                            .modifyResponseBody(String.class, String.class,
                                    (exchange, body) -> rewritten(exchange, body, service, documents)))
                    .uri(service.uri()));
        }
        return routes.build();
    }

    private static Mono<String> rewritten(ServerWebExchange exchange, String body, RoutedServices.Service service,
                                          GatewayDocument documents) {
        if (body == null) {
            return Mono.empty();
        }
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        if (status != null && !status.is2xxSuccessful()) {
            return Mono.just(body);
        }
        return Mono.just(documents.rewrite(service, body));
    }

    /** A document that cannot be fetched is the service's absence, said as such. */
    private static GatewayFilter unavailableAs503(String service) {
        return (exchange, chain) -> chain.filter(exchange).onErrorMap(ServiceDocs::unreachable,
                failure -> new ServiceDocumentUnavailable(service, timedOut(failure) ? "timeout" : "unreachable"));
    }

    private static boolean unreachable(Throwable failure) {
        return timedOut(failure) || find(failure, IOException.class);
    }

    private static boolean timedOut(Throwable failure) {
        return find(failure, TimeoutException.class) || (failure instanceof ResponseStatusException status
                && status.getStatusCode().value() == 504);
    }

    private static boolean find(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
