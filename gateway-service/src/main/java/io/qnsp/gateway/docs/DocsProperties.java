package io.qnsp.gateway.docs;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * The services whose OpenAPI documents the gateway's Swagger UI lists.
 *
 * @param services one entry per service, in the order the UI lists them
 */
@ConfigurationProperties("qnsp.gateway.docs")
public record DocsProperties(List<Service> services) {

    public DocsProperties {
        services = services == null ? List.of() : List.copyOf(services);
    }

    /**
     * One service's document.
     *
     * @param route     the id of a configured route; the document is fetched from {@code /v3/api-docs} at that
     *                  route's URI and served at {@code /docs/<route>/v3/api-docs}
     * @param serverUrl the document's server, as the gateway exposes the service: {@code /} when the service's paths
     *                  are the gateway's, a prefix such as {@code /vault} when the route strips one
     */
    public record Service(String route, @DefaultValue("/") String serverUrl) {

        public Service {
            if (route == null || !route.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
                throw new IllegalArgumentException(
                        "qnsp.gateway.docs.services[].route must be a route id (letters, digits, '-', '_'): " + route);
            }
        }
    }
}
