package io.qnsp.common.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * How a servlet service authenticates callers. JWT trust itself comes from Spring Boot's
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} / {@code jwk-set-uri}; without either, JWT
 * authentication is off.
 *
 * @param audience    when set, a JWT must name it in {@code aud}
 * @param adminToken  when set, {@code X-Admin-Token} equal to it authenticates a platform operator with role admin
 * @param publicPaths path patterns ({@code PathPattern} syntax, e.g. {@code /v1/check} or {@code /public/**}) that
 *                    need no authentication, besides health, info, prometheus, the API docs and {@code /error}
 */
@ConfigurationProperties("qnsp.security")
public record PlatformSecurityProperties(String audience, String adminToken,
                                         @DefaultValue List<String> publicPaths) {

    /** Paths every service serves without authentication. */
    public static final List<String> ALWAYS_PUBLIC = List.of("/actuator/health/**", "/actuator/info",
            "/actuator/prometheus", "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html", "/error");

    public boolean hasAdminToken() {
        return adminToken != null && !adminToken.isEmpty();
    }

    @Override
    public String toString() {
        // the generated toString would print the admin token
        return "PlatformSecurityProperties[audience=" + audience + ", adminToken=" + (hasAdminToken() ? "***" : "")
                + ", publicPaths=" + publicPaths + "]";
    }
}
