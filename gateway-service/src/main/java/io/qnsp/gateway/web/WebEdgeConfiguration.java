package io.qnsp.gateway.web;

import io.qnsp.common.error.ApiFamilies;
import io.qnsp.common.error.ErrorsProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's error families: common-lib configures them for servlet services only, so the reactive gateway
 * binds {@code qnsp.errors.*} itself.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ErrorsProperties.class)
class WebEdgeConfiguration {

    @Bean
    GatewayErrors gatewayErrors(ErrorsProperties properties) {
        // not a bean of its own: ApiFamilies also has a servlet method, which bean introspection cannot load here
        return new GatewayErrors(new ApiFamilies(properties));
    }
}
