package io.qnsp.gateway.web;

import io.qnsp.common.error.ApiFamilies;
import io.qnsp.common.error.ErrorsProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;

/**
 * The gateway's edge: error families and error handling (common-lib configures those for servlet services only, so
 * the reactive gateway binds {@code qnsp.errors.*} itself), and the edge filter with its request ids, firewall,
 * CORS, body limit and answer headers.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ErrorsProperties.class, EdgeProperties.class})
class WebEdgeConfiguration {

    @Bean
    GatewayErrors gatewayErrors(ErrorsProperties properties) {
        // not a bean of its own: ApiFamilies also has a servlet method, which bean introspection cannot load here
        return new GatewayErrors(new ApiFamilies(properties));
    }

    @Bean
    GatewayExceptionHandler gatewayExceptionHandler(GatewayErrors errors) {
        return new GatewayExceptionHandler(errors);
    }

    @Bean
    EdgeFilter edgeFilter(EdgeProperties properties, GatewayErrors errors,
                          ObjectProvider<AnsweredRequestListener> listeners) {
        RequestBodyLimit bodyLimit = new RequestBodyLimit(properties.maxRequestBody().toBytes(),
                properties.pathLimits(), errors);
        return new EdgeFilter(corsPolicy(properties.cors(), errors), bodyLimit, errors,
                listeners.orderedStream().toList());
    }

    @Bean
    RequestIdForwarding requestIdForwarding() {
        return new RequestIdForwarding();
    }

    private static CorsPolicy corsPolicy(EdgeProperties.Cors cors, GatewayErrors errors) {
        CorsConfiguration configuration = new CorsConfiguration();
        configuration.setAllowedOrigins(cors.allowedOrigins());
        configuration.setAllowedMethods(cors.allowedMethods());
        configuration.addAllowedHeader(CorsConfiguration.ALL);
        configuration.setExposedHeaders(cors.exposedHeaders());
        configuration.setAllowCredentials(cors.allowCredentials());
        configuration.setMaxAge(cors.maxAge());
        configuration.validateAllowCredentials();
        return new CorsPolicy(configuration, errors);
    }
}
