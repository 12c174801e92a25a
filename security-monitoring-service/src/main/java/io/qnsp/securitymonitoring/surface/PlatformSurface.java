package io.qnsp.securitymonitoring.surface;

import io.qnsp.securitymonitoring.DependencyUnavailable;
import io.qnsp.securitymonitoring.PlatformClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The platform as deployed, read from its gateway: the services it routes to ({@code /health/services}) and, for
 * each, the OpenAPI document the gateway serves for it ({@code /docs/<service>/v3/api-docs}, with the paths as the
 * gateway exposes them and the credentials it asks for). Both are public; no token is sent.
 */
@Component
class PlatformSurface {

    static final String GATEWAY = "gateway-service";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Logger log = LoggerFactory.getLogger(PlatformSurface.class);

    /** The operations read, and the services whose document could not be read. */
    record Surface(List<String> services, List<ExposedOperation> operations, List<String> unreadable) {
    }

    private final PlatformClients clients;

    PlatformSurface(PlatformClients clients) {
        this.clients = clients;
    }

    Surface read() {
        JsonNode health;
        try {
            health = clients.gateway().get().uri("/health/services").retrieve().body(JsonNode.class);
        } catch (RestClientException e) {
            log.warn("the gateway's service list cannot be read: {}", e.toString());
            throw new DependencyUnavailable(GATEWAY, "cannot be read");
        }
        List<String> services = health == null ? List.of()
                : new ArrayList<>(health.path("services").propertyNames());
        List<ExposedOperation> operations = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String service : services) {
            try {
                JsonNode document = clients.gateway().get().uri("/docs/{service}/v3/api-docs", service).retrieve()
                        .body(JsonNode.class);
                operations.addAll(operations(service, document));
            } catch (RestClientException | IllegalArgumentException e) {
                log.info("the gateway's document for {} cannot be read: {}", service, e.toString());
                unreadable.add(service);
            }
        }
        return new Surface(services, operations, unreadable);
    }

    static List<ExposedOperation> operations(String service, JsonNode document) {
        List<ExposedOperation> operations = new ArrayList<>();
        if (document == null) {
            return operations;
        }
        JsonNode global = document.path("security");
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(entry -> {
            if (!METHODS.contains(entry.getKey())) {
                return;
            }
            JsonNode operation = entry.getValue();
            JsonNode security = operation.has("security") ? operation.get("security") : global;
            boolean authenticated = security.isArray() && !security.isEmpty();
            operations.add(new ExposedOperation(service, entry.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                    authenticated, texts(operation.path("x-required-scopes")),
                    texts(operation.path("x-required-roles"))));
        }));
        return operations;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }
}
