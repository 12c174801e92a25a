package io.qnsp.common.security;

import io.qnsp.common.error.ApiError;
import io.qnsp.common.error.ErrorCodes;
import io.qnsp.common.error.ErrorHandlingAutoConfiguration;
import io.qnsp.common.error.ErrorResponseWriter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.ArrayList;
import java.util.List;

/**
 * Every servlet service is an OAuth2 resource server: stateless, JWTs checked for signature, expiry, issuer (and
 * audience when {@code qnsp.security.audience} is set), the optional admin token, public paths, and 401/403 answered
 * in the family's format. The platform chain comes last and covers every request no other chain claims, so a
 * service adds a chain for its own paths (with a {@code securityMatcher} and a lower order), such as auth-service's
 * authorization-server endpoints, and keeps this one for the rest.
 */
@AutoConfiguration(after = ErrorHandlingAutoConfiguration.class, beforeName = {
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({SecurityFilterChain.class, HttpSecurity.class, JwtDecoder.class})
@EnableConfigurationProperties(PlatformSecurityProperties.class)
public class PlatformSecurityAutoConfiguration {

    /** Picked up by Spring Boot's JWT decoder, next to its signature, expiry and issuer checks. */
    @Bean
    @ConditionalOnProperty("qnsp.security.audience")
    OAuth2TokenValidator<Jwt> qnspAudienceValidator(PlatformSecurityProperties properties) {
        return new JwtAudienceValidator(properties.audience());
    }

    /** The order of the platform chain: after any chain a service declares for specific paths. */
    public static final int PLATFORM_CHAIN_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

    @Bean
    @Order(PLATFORM_CHAIN_ORDER)
    @ConditionalOnMissingBean(name = "qnspSecurityFilterChain")
    SecurityFilterChain qnspSecurityFilterChain(HttpSecurity http, PlatformSecurityProperties properties,
                                                ObjectProvider<JwtDecoder> jwtDecoder, ErrorResponseWriter writer)
            throws Exception {
        FamilyAuthenticationEntryPoint entryPoint = new FamilyAuthenticationEntryPoint(writer);
        FamilyAccessDeniedHandler accessDenied = new FamilyAccessDeniedHandler(writer);
        List<String> publicPaths = new ArrayList<>(PlatformSecurityProperties.ALWAYS_PUBLIC);
        publicPaths.addAll(properties.publicPaths());

        http.csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDenied))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(publicPaths.toArray(String[]::new)).permitAll()
                        .anyRequest().authenticated());
        JwtDecoder decoder = jwtDecoder.getIfUnique();
        if (decoder != null) {
            http.oauth2ResourceServer(resourceServer -> resourceServer
                    .authenticationEntryPoint(entryPoint)
                    .accessDeniedHandler(accessDenied)
                    .jwt(jwt -> jwt.decoder(decoder).jwtAuthenticationConverter(new CallerJwtAuthenticationConverter())));
        }
        if (properties.hasAdminToken()) {
            // after the bearer filter, so a valid admin token decides even when a JWT came along too
            http.addFilterAfter(new AdminTokenAuthenticationFilter(properties.adminToken(), entryPoint),
                    BearerTokenAuthenticationFilter.class);
        }
        return http.build();
    }

    /** A URL the firewall rejects (e.g. with encoded slashes) is the caller's mistake: 400, not a 500. */
    @Bean
    @ConditionalOnMissingBean
    RequestRejectedHandler qnspRequestRejectedHandler(ErrorResponseWriter writer) {
        return (request, response, rejected) -> writer.write(request, response, ApiError.of(HttpStatus.BAD_REQUEST,
                ErrorCodes.INVALID_REQUEST, "The request URL is not acceptable"));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebMvcConfigurer.class)
    static class CallerArgumentConfiguration {

        @Bean
        WebMvcConfigurer qnspCallerArgumentResolver() {
            return new WebMvcConfigurer() {
                @Override
                public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                    resolvers.add(new CallerArgumentResolver());
                }
            };
        }
    }
}
