package io.qnsp.gateway.docs;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.handler.predicate.PredicateDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.http.HttpMethod;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which gateway path reaches which path of which service, read from route definitions as the gateway has them. */
class RoutedServicesTests {

    private static RouteDefinition route(String id, String uri, List<String> predicates, List<String> filters) {
        RouteDefinition definition = new RouteDefinition();
        definition.setId(id);
        definition.setUri(URI.create(uri));
        definition.setPredicates(predicates.stream()
                .map(PredicateDefinition::new).toList());
        definition.setFilters(filters.stream().map(FilterDefinition::new).toList());
        return definition;
    }

    private final RoutedServices services = RoutedServices.of(List.of(
            route("auth", "http://auth:8081", List.of("Path=/auth/**,/api/v1/keys/**,/api/v1/keys"), List.of()),
            route("audit-stream", "http://audit:8089", List.of("Path=/audit/v1/streaming/events"),
                    List.of("StripPrefix=1")),
            route("audit", "http://audit:8089", List.of("Path=/audit/v1/**"), List.of("StripPrefix=1")),
            route("audit-datahub", "http://audit:8089", List.of("Path=/api/v1/requests/**,/api/v1/requests"),
                    List.of()),
            route("reports-read", "http://reports:9000", List.of("Path=/reports/**", "Method=GET"),
                    List.of("StripPrefix=1", "PrefixPath=/api")),
            route("legacy", "http://legacy:9001", List.of("Path=/legacy/**"),
                    List.of("RewritePath=/legacy/(?<p>.*), /${p}")),
            route("static", "no://op", List.of("Path=/static/**"), List.of())));

    @Test
    void routesToOneUriAreOneServiceNamedAfterWhatTheirIdsShare() {
        assertThat(services.services()).extracting(RoutedServices.Service::name)
                .containsExactly("auth", "audit", "reports-read", "legacy");
        assertThat(services.service("audit").routes()).extracting(RoutedServices.Route::id)
                .containsExactly("audit-stream", "audit", "audit-datahub");
    }

    @Test
    void aRouteToASecondPortOfAServiceIsDocumentedByTheServicesDocument() {
        RouteDefinition check = route("ratelimit-check", "http://ratelimit:8187", List.of("Path=/v1/check"), List.of());
        check.setMetadata(Map.of("documented-by", "http://ratelimit:8087"));
        RoutedServices withSecondPort = RoutedServices.of(List.of(check,
                route("ratelimit", "http://ratelimit:8087", List.of("Path=/v1/api-keys/**,/v1/api-keys"), List.of())));

        assertThat(withSecondPort.services()).extracting(RoutedServices.Service::name).containsExactly("ratelimit");
        RoutedServices.Service ratelimit = withSecondPort.service("ratelimit");
        assertThat(ratelimit.uri()).isEqualTo(URI.create("http://ratelimit:8087"));
        assertThat(withSecondPort.exposures(ratelimit, "/v1/check", HttpMethod.POST)).containsExactly("/v1/check");
        assertThat(withSecondPort.exposures(ratelimit, "/v1/api-keys", HttpMethod.GET)).containsExactly("/v1/api-keys");
    }

    @Test
    void aServicePathIsExposedWhereTheGatewaysRoutesLeadToIt() {
        RoutedServices.Service audit = services.service("audit");
        assertThat(services.exposures(audit, "/v1/events/{id}", HttpMethod.GET))
                .containsExactly("/audit/v1/events/{id}");
        assertThat(services.exposures(audit, "/v1/streaming/events", HttpMethod.GET))
                .containsExactly("/audit/v1/streaming/events");
        assertThat(services.exposures(audit, "/api/v1/requests", HttpMethod.GET)).containsExactly("/api/v1/requests");
        assertThat(services.exposures(audit, "/internal/v1/reindex", HttpMethod.POST)).isEmpty();
        assertThat(services.exposures(services.service("auth"), "/internal/v1/keys/verify", HttpMethod.POST))
                .isEmpty();
    }

    @Test
    void methodPredicatesAndPrefixFiltersAreFollowed() {
        RoutedServices.Service reports = services.service("reports-read");
        assertThat(services.exposures(reports, "/api/v1/report", HttpMethod.GET)).containsExactly("/reports/v1/report");
        assertThat(services.exposures(reports, "/api/v1/report", HttpMethod.POST)).isEmpty();
        assertThat(services.exposures(reports, "/v1/report", HttpMethod.GET)).isEmpty();
    }

    @Test
    void aPathAnEarlierRouteTakesIsNotTheLaterRoutesServices() {
        RoutedServices shadowed = RoutedServices.of(List.of(
                route("keys", "http://auth:8081", List.of("Path=/api/v1/keys/**"), List.of()),
                route("everything", "http://catchall:9000", List.of("Path=/api/**"), List.of())));

        assertThat(shadowed.exposures(shadowed.service("everything"), "/api/v1/keys/{id}", HttpMethod.GET)).isEmpty();
        assertThat(shadowed.exposures(shadowed.service("everything"), "/api/v1/other", HttpMethod.GET))
                .containsExactly("/api/v1/other");
    }

    @Test
    void routesWhosePathsCannotBeFollowedBackDocumentNothing() {
        assertThat(services.exposures(services.service("legacy"), "/x", HttpMethod.GET)).isEmpty();
    }
}
