package io.qnsp.gateway.docs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The services the gateway routes to, read from its routing table ({@code spring.cloud.gateway.server.webflux.routes}):
 * the routes to one URI are one service, named after what their ids have in common ({@code audit},
 * {@code audit-stream} and {@code audit-datahub} are {@code audit}). A route to a second port of a service (its
 * metadata {@code documented-by} names the URI of the port that serves the service's API document) belongs to that
 * service. Knows which gateway path reaches which path of
 * which service, as the gateway decides it: the first route (by order, then as configured) whose {@code Path} and
 * {@code Method} predicates match, with its {@code StripPrefix} and {@code PrefixPath} filters applied.
 */
final class RoutedServices {

    private static final Logger log = LoggerFactory.getLogger(RoutedServices.class);

    /** Filters that change the path in ways that cannot be run backwards: such a route's paths go undocumented. */
    private static final Set<String> OPAQUE_PATH_FILTERS = Set.of("RewritePath", "SetPath");

    /** One service: the routes that lead to it, in the gateway's order. */
    record Service(String name, URI uri, List<Route> routes) {
    }

    /**
     * A route as far as paths go.
     *
     * @param patterns   its {@code Path} patterns; empty when it has none (then it matches by other predicates only,
     *                   which the documentation cannot follow, and is left out)
     * @param methods    its {@code Method} predicate's methods; empty for every method
     * @param rewrites   its path filters, in order
     * @param documented whether its paths can be documented: it has path patterns and no filter that rewrites paths
     *                   past following
     */
    record Route(String id, URI uri, List<PathPattern> patterns, Set<HttpMethod> methods, List<Rewrite> rewrites,
                 boolean documented) {

        boolean matches(String gatewayPath, HttpMethod method) {
            if (!methods.isEmpty() && !methods.contains(method)) {
                return false;
            }
            PathContainer path = PathContainer.parsePath(gatewayPath);
            return patterns.stream().anyMatch(pattern -> pattern.matches(path));
        }

        /** The path the service receives for a gateway path. */
        String forward(String gatewayPath) {
            String path = gatewayPath;
            for (Rewrite rewrite : rewrites) {
                path = rewrite.forward(path);
            }
            return path;
        }

        /**
         * The gateway paths this route would send to the service as {@code servicePath}, one per path pattern at
         * most: the stripped prefix is the pattern's own leading segments, which must be literal to be known.
         */
        List<String> backward(String servicePath) {
            List<String> candidates = new ArrayList<>();
            for (PathPattern pattern : patterns) {
                String path = servicePath;
                for (Rewrite rewrite : rewrites.reversed()) {
                    path = path == null ? null : rewrite.backward(path, pattern.getPatternString());
                }
                if (path != null && pattern.matches(PathContainer.parsePath(path)) && !candidates.contains(path)) {
                    candidates.add(path);
                }
            }
            return candidates;
        }
    }

    /** A filter that changes the path on the way to the service. */
    sealed interface Rewrite {

        String forward(String path);

        /** The path before the filter, or {@code null} when {@code path} cannot have come out of it. */
        String backward(String path, String pattern);
    }

    record StripPrefix(int parts) implements Rewrite {

        @Override
        public String forward(String path) {
            List<String> segments = segments(path);
            return "/" + String.join("/", segments.subList(Math.min(parts, segments.size()), segments.size()));
        }

        @Override
        public String backward(String path, String pattern) {
            List<String> prefix = segments(pattern);
            if (prefix.size() < parts) {
                return null;
            }
            prefix = prefix.subList(0, parts);
            if (prefix.stream().anyMatch(segment -> segment.contains("*") || segment.contains("{")
                    || segment.contains("?"))) {
                return null;
            }
            return "/" + String.join("/", prefix) + (path.equals("/") ? "" : path);
        }
    }

    record PrefixPath(String prefix) implements Rewrite {

        @Override
        public String forward(String path) {
            return prefix + path;
        }

        @Override
        public String backward(String path, String pattern) {
            return path.startsWith(prefix + "/") ? path.substring(prefix.length()) : null;
        }
    }

    /** Where the gateway sends a request: the route, its service and the path the service receives. */
    record Target(Service service, Route route, String servicePath) {
    }

    private final List<Service> services;
    private final List<Route> routes;
    private final Map<Route, Service> serviceOf = new LinkedHashMap<>();

    private RoutedServices(List<Service> services, List<Route> routes) {
        this.services = services;
        this.routes = routes;
        services.forEach(service -> service.routes().forEach(route -> serviceOf.put(route, service)));
    }

    static RoutedServices of(List<RouteDefinition> definitions) {
        List<RouteDefinition> ordered = new ArrayList<>(definitions);
        // the gateway tries routes by order, then as configured (a stable sort)
        ordered.sort(Comparator.comparingInt(RouteDefinition::getOrder));
        Map<String, List<Route>> byTarget = new LinkedHashMap<>();
        List<Route> routes = new ArrayList<>();
        Map<String, URI> documentedAt = new LinkedHashMap<>();
        for (RouteDefinition definition : ordered) {
            URI uri = definition.getUri();
            if (uri == null || uri.getScheme() == null || !isService(uri)) {
                continue;
            }
            Route route = route(definition);
            routes.add(route);
            URI documents = documentedBy(definition);
            String target = target(documents);
            documentedAt.putIfAbsent(target, documents);
            byTarget.computeIfAbsent(target, key -> new ArrayList<>()).add(route);
        }
        List<Service> services = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Map.Entry<String, List<Route>> group : byTarget.entrySet()) {
            String name = name(group.getValue());
            for (int n = 2; !names.add(name); n++) {
                name = name(group.getValue()) + "-" + n;
            }
            services.add(new Service(name, documentedAt.get(group.getKey()), List.copyOf(group.getValue())));
        }
        return new RoutedServices(List.copyOf(services), List.copyOf(routes));
    }

    /** The services, in the order their first route is configured. */
    List<Service> services() {
        return services;
    }

    Service service(String name) {
        return services.stream().filter(service -> service.name().equals(name)).findFirst().orElse(null);
    }

    /** Where the gateway sends {@code method gatewayPath}, or {@code null} when no route takes it. */
    Target target(String gatewayPath, HttpMethod method) {
        for (Route route : routes) {
            if (route.matches(gatewayPath, method)) {
                return route.documented()
                        ? new Target(serviceOf.get(route), route, route.forward(gatewayPath))
                        : null;
            }
        }
        return null;
    }

    /**
     * The gateway paths at which {@code method servicePath} of the service is reached, in route order: each a path
     * one of the service's routes leads to it from, and which no earlier route takes.
     */
    List<String> exposures(Service service, String servicePath, HttpMethod method) {
        List<String> exposed = new ArrayList<>();
        for (Route route : service.routes()) {
            if (!route.documented()) {
                continue;
            }
            for (String gatewayPath : route.backward(servicePath)) {
                Target target = target(gatewayPath, method);
                if (target != null && target.service() == service && target.servicePath().equals(servicePath)
                        && !exposed.contains(gatewayPath)) {
                    exposed.add(gatewayPath);
                }
            }
        }
        return exposed;
    }

    /** The URI whose API document describes the route's paths: its {@code documented-by} metadata, else its own. */
    private static URI documentedBy(RouteDefinition definition) {
        Object documentedBy = definition.getMetadata().get("documented-by");
        if (documentedBy != null && !documentedBy.toString().isBlank()) {
            URI uri = URI.create(documentedBy.toString().strip());
            if (uri.getScheme() != null && isService(uri)) {
                return uri;
            }
            log.warn("Route {}: documented-by {} is not an http(s) URI; its own URI is used", definition.getId(),
                    documentedBy);
        }
        return definition.getUri();
    }

    private static boolean isService(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("http") || scheme.equals("https") || scheme.equals("lb");
    }

    /** Routes to the same scheme, host and port lead to the same service. */
    private static String target(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getAuthority();
    }

    /** What the ids have in common, by whole {@code -}-separated words; else the first route's id. */
    private static String name(List<Route> group) {
        List<String> common = List.of(group.getFirst().id().split("-"));
        for (Route route : group) {
            List<String> words = List.of(route.id().split("-"));
            int same = 0;
            while (same < common.size() && same < words.size() && common.get(same).equals(words.get(same))) {
                same++;
            }
            common = common.subList(0, same);
        }
        return common.isEmpty() || String.join("-", common).isEmpty() ? group.getFirst().id()
                : String.join("-", common);
    }

    private static Route route(RouteDefinition definition) {
        List<PathPattern> patterns = new ArrayList<>();
        Set<HttpMethod> methods = new LinkedHashSet<>();
        for (PredicateDefinition predicate : definition.getPredicates()) {
            switch (predicate.getName()) {
                case "Path" -> predicate.getArgs().forEach((key, value) -> {
                    if (value != null && value.startsWith("/")) {
                        patterns.add(PathPatternParser.defaultInstance.parse(value));
                    }
                });
                case "Method" -> predicate.getArgs().values().forEach(value -> {
                    for (String method : value.split(",")) {
                        if (!method.isBlank()) {
                            methods.add(HttpMethod.valueOf(method.strip().toUpperCase(Locale.ROOT)));
                        }
                    }
                });
                default -> {
                    // other predicates (headers, hosts, …) narrow who reaches a path, not which paths exist
                }
            }
        }
        List<Rewrite> rewrites = new ArrayList<>();
        boolean followable = true;
        for (FilterDefinition filter : definition.getFilters()) {
            String argument = filter.getArgs().values().stream().findFirst().orElse(null);
            switch (filter.getName()) {
                case "StripPrefix" -> rewrites.add(new StripPrefix(argument == null ? 1 : Integer.parseInt(
                        argument.strip())));
                case "PrefixPath" -> rewrites.add(new PrefixPath(argument == null ? "" : argument.strip()));
                default -> {
                    if (OPAQUE_PATH_FILTERS.contains(filter.getName())) {
                        followable = false;
                    }
                }
            }
        }
        boolean documented = followable && !patterns.isEmpty();
        if (!documented) {
            log.warn("Route '{}' is left out of the API documentation: {}", definition.getId(), patterns.isEmpty()
                    ? "it has no Path predicate" : "its path filters cannot be followed back");
        }
        return new Route(definition.getId(), definition.getUri(), List.copyOf(patterns), Set.copyOf(methods),
                List.copyOf(rewrites), documented);
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }
}
