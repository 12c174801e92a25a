package io.qnsp.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * gateway-service: the platform's data plane (Spring Cloud Gateway on WebFlux).
 * <p>
 * Spring Security's reactive web configuration is left out: the gateway authenticates each request itself, in its
 * authentication filter, and a security filter chain that permits everything would only add a dozen filters to
 * every request. What the chain gave callers, its firewall and its security headers, the edge filter
 * ({@code io.qnsp.gateway.web}) does itself. Spring Security's JOSE support (the JWT decoder) stays in use.
 */
@SpringBootApplication(excludeName = {
        "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration"})
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
