package io.qnsp.gateway.docs;

import io.qnsp.common.openapi.PublicEndpoints;
import io.qnsp.gateway.ratelimit.GatewayRateLimitProperties;
import io.qnsp.gateway.tenantstatus.SuspensionScope;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.properties.AbstractSwaggerUiConfigProperties.SwaggerUrl;
import org.springdoc.core.properties.SwaggerUiConfigProperties;
import org.springdoc.core.utils.Constants;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One Swagger UI at the gateway listing the gateway's own OpenAPI document and that of every service it routes to,
 * taken from the routing table itself ({@link RoutedServices}): a service joins the UI by joining the routes.
 */
@Configuration(proxyBeanMethods = false)
class DocsConfiguration {

    static final String GATEWAY = "gateway";

    @Bean
    RoutedServices routedServices(GatewayProperties gateway) {
        return RoutedServices.of(gateway.getRoutes());
    }

    @Bean
    GatewayDocument gatewayDocument(RoutedServices services, PublicEndpoints publicEndpoints,
                                    @Qualifier(Constants.GLOBAL_OPEN_API_CUSTOMIZER) GlobalOpenApiCustomizer conventions,
                                    OpenAPI platformDocument, ObjectProvider<SuspensionScope> suspension,
                                    GatewayRateLimitProperties rateLimits) {
        ObjectNode schemes = platformDocument.getComponents() == null
                || platformDocument.getComponents().getSecuritySchemes() == null
                ? JsonMapper.shared().createObjectNode()
                : (ObjectNode) JsonMapper.shared().readTree(Json.pretty(
                        platformDocument.getComponents().getSecuritySchemes()));
        SuspensionScope scope = suspension.getIfAvailable();
        return new GatewayDocument(services, publicEndpoints, new FamilyErrorBodies(conventions),
                path -> scope != null && scope.applies(path), schemes,
                rateLimits.enabled() && rateLimits.publicPaths().requestsPerMinute() > 0);
    }

    @Bean
    RouteLocator serviceDocsRoutes(RouteLocatorBuilder builder, RoutedServices services, GatewayDocument documents) {
        return ServiceDocs.routes(builder, services, documents);
    }

    @Bean
    InitializingBean swaggerUiServiceUrls(ObjectProvider<SwaggerUiConfigProperties> swaggerUi, RoutedServices services,
                                          @Value("${springdoc.api-docs.path:/v3/api-docs}") String ownDocs) {
        return () -> swaggerUi.ifAvailable(ui -> {
            Set<SwaggerUrl> urls = new LinkedHashSet<>();
            if (ui.getUrls() != null) {
                urls.addAll(ui.getUrls());
            }
            urls.add(new SwaggerUrl(GATEWAY, ownDocs, GATEWAY));
            services.services().forEach(service -> urls.add(
                    new SwaggerUrl(service.name(), ServiceDocs.documentPath(service.name()), service.name())));
            ui.setUrls(urls);
            if (ui.getUrlsPrimaryName() == null) {
                ui.setUrlsPrimaryName(GATEWAY);
            }
        });
    }
}
