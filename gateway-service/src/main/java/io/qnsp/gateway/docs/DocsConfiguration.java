package io.qnsp.gateway.docs;

import org.springdoc.core.properties.AbstractSwaggerUiConfigProperties.SwaggerUrl;
import org.springdoc.core.properties.SwaggerUiConfigProperties;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One Swagger UI at the gateway listing the gateway's own OpenAPI document and each configured service's
 * ({@code qnsp.gateway.docs.services}); a new service joins by adding its route id there.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DocsProperties.class)
class DocsConfiguration {

    static final String GATEWAY = "gateway";

    @Bean
    RouteLocator serviceDocsRoutes(RouteLocatorBuilder builder, GatewayProperties gateway, DocsProperties docs) {
        return ServiceDocs.routes(builder, gateway, docs);
    }

    @Bean
    InitializingBean swaggerUiServiceUrls(ObjectProvider<SwaggerUiConfigProperties> swaggerUi, DocsProperties docs,
                                          @Value("${springdoc.api-docs.path:/v3/api-docs}") String ownDocs) {
        return () -> swaggerUi.ifAvailable(ui -> {
            Set<SwaggerUrl> urls = new LinkedHashSet<>();
            if (ui.getUrls() != null) {
                urls.addAll(ui.getUrls());
            }
            urls.add(new SwaggerUrl(GATEWAY, ownDocs, GATEWAY));
            docs.services().forEach(service -> urls.add(
                    new SwaggerUrl(service.route(), ServiceDocs.documentPath(service.route()), service.route())));
            ui.setUrls(urls);
            if (ui.getUrlsPrimaryName() == null) {
                ui.setUrlsPrimaryName(GATEWAY);
            }
        });
    }
}
