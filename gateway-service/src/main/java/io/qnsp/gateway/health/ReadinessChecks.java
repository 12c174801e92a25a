package io.qnsp.gateway.health;

import io.netty.channel.ChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's dependencies, checked on demand: Redis answers {@code PING}, and each required service's readiness
 * probe answers 2xx, each within the configured timeout.
 */
class ReadinessChecks {

    static final String REDIS = "redis";
    static final String CONNECTED = "connected";
    static final String DISCONNECTED = "disconnected";
    static final String UP = "up";
    static final String DOWN = "down";

    private static final Logger log = LoggerFactory.getLogger(ReadinessChecks.class);
    private static final String READINESS_PATH = "/actuator/health/readiness";

    private final ReactiveRedisConnectionFactory redis;
    private final RouteLocator routes;
    private final ReadinessProperties properties;
    private final WebClient client;
    private final Set<String> unknownReported = ConcurrentHashMap.newKeySet();

    ReadinessChecks(ReactiveRedisConnectionFactory redis, RouteLocator routes, ReadinessProperties properties) {
        this.redis = redis;
        this.routes = routes;
        this.properties = properties;
        int connectMillis = (int) Math.max(1, properties.timeout().toMillis());
        this.client = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create()
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
                        .responseTimeout(properties.timeout())))
                .build();
    }

    /** Each dependency's state, Redis first, then the services in configured order. */
    Mono<Map<String, String>> check() {
        Mono<String> redisState = pingRedis();
        Mono<Map<String, URI>> uris = routes.getRoutes()
                .filter(route -> properties.services().contains(route.getId()))
                .collectMap(Route::getId, Route::getUri);
        return Mono.zip(redisState, uris.flatMap(this::checkServices)).map(states -> {
            Map<String, String> checks = new LinkedHashMap<>();
            checks.put(REDIS, states.getT1());
            checks.putAll(states.getT2());
            return checks;
        });
    }

    /**
     * Every service the routing table leads to, by name, up or down (its readiness probe at the route's URI): the
     * routes to one address are one service, named by the id the others start with ({@code audit} for
     * {@code audit}, {@code audit-stream} and {@code audit-datahub}). A route to a second port of a service (metadata
     * {@code documented-by}) is that service's, and not probed on its own.
     */
    Mono<Map<String, String>> everyService() {
        return routes.getRoutes()
                .filter(route -> ("http".equals(route.getUri().getScheme())
                        || "https".equals(route.getUri().getScheme()))
                        && !route.getMetadata().containsKey("documented-by"))
                .collectList()
                .flatMap(list -> {
                    Map<URI, List<String>> idsByAddress = new LinkedHashMap<>();
                    for (Route route : list) {
                        URI address = UriComponentsBuilder.fromUri(route.getUri()).replacePath(null).replaceQuery(null)
                                .build().toUri();
                        idsByAddress.computeIfAbsent(address, ignored -> new ArrayList<>()).add(route.getId());
                    }
                    return Flux.fromIterable(idsByAddress.entrySet())
                            .flatMapSequential(entry -> probe(entry.getKey())
                                    .map(state -> Map.entry(serviceName(entry.getValue()), state)))
                            .collectList()
                            .map(entries -> {
                                Map<String, String> states = new LinkedHashMap<>();
                                entries.forEach(entry -> states.put(entry.getKey(), entry.getValue()));
                                return states;
                            });
                });
    }

    /** The shortest id: {@code audit} of {@code audit}, {@code audit-stream} and {@code audit-datahub}. */
    static String serviceName(List<String> ids) {
        return ids.stream().min(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()))
                .orElseThrow();
    }

    static boolean ready(Map<String, String> checks) {
        return checks.values().stream().allMatch(state -> CONNECTED.equals(state) || UP.equals(state));
    }

    private Mono<String> pingRedis() {
        return Mono.usingWhen(Mono.fromSupplier(redis::getReactiveConnection),
                        connection -> connection.ping(),
                        ReactiveRedisConnection::closeLater)
                .timeout(properties.timeout())
                .map(pong -> CONNECTED)
                .onErrorReturn(DISCONNECTED)
                .defaultIfEmpty(DISCONNECTED);
    }

    private Mono<Map<String, String>> checkServices(Map<String, URI> uris) {
        List<String> services = properties.services();
        return Flux.fromIterable(services)
                .flatMapSequential(id -> checkService(id, uris.get(id)).map(state -> Map.entry(id, state)))
                .collectList()
                .map(entries -> {
                    Map<String, String> states = new LinkedHashMap<>();
                    entries.forEach(entry -> states.put(entry.getKey(), entry.getValue()));
                    return states;
                });
    }

    private Mono<String> checkService(String id, URI routeUri) {
        if (routeUri == null) {
            if (unknownReported.add(id)) {
                log.warn("qnsp.gateway.readiness.services names '{}', which is not a route id; it counts as down", id);
            }
            return Mono.just(DOWN);
        }
        return probe(routeUri);
    }

    private Mono<String> probe(URI routeUri) {
        URI probe = UriComponentsBuilder.fromUri(routeUri).replacePath(READINESS_PATH).replaceQuery(null).build()
                .toUri();
        return client.get().uri(probe)
                .exchangeToMono(response -> response.releaseBody()
                        .thenReturn(response.statusCode().is2xxSuccessful() ? UP : DOWN))
                .timeout(properties.timeout())
                .onErrorReturn(DOWN);
    }
}
