package io.qnsp.gateway.web;

import io.qnsp.common.error.ApiFamilies;
import io.qnsp.common.error.ErrorsProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;

/**
 * The gateway's edge: error families and error handling (common-lib configures those for servlet services only, so
 * the reactive gateway binds {@code qnsp.errors.*} itself), request ids, CORS and the request body limit.
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
    RequestIdFilter requestIdFilter() {
        return new RequestIdFilter();
    }

    @Bean
    RequestBodyLimitFilter requestBodyLimitFilter(EdgeProperties properties, GatewayErrors errors) {
        return new RequestBodyLimitFilter(properties.maxRequestBody().toBytes(), properties.pathLimits(), errors);
    }

    @Bean
    CorsFilter corsFilter(EdgeProperties properties, GatewayErrors errors) {
        EdgeProperties.Cors cors = properties.cors();
        CorsConfiguration configuration = new CorsConfiguration();
        configuration.setAllowedOrigins(cors.allowedOrigins());
        configuration.setAllowedMethods(cors.allowedMethods());
        configuration.addAllowedHeader(CorsConfiguration.ALL);
        configuration.setExposedHeaders(cors.exposedHeaders());
        configuration.setAllowCredentials(cors.allowCredentials());
        configuration.setMaxAge(cors.maxAge());
        configuration.validateAllowCredentials();
        return new CorsFilter(configuration, errors);
    }
}
