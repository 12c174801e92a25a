package io.qnsp.auth.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.qnsp.auth.AuthSettings;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.logout.LogoutFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The OAuth2 authorization server: the token endpoint (client credentials), discovery metadata and the JWKS,
 * on a security chain of their own; every other path stays on the platform's resource-server chain.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfiguration {

    private static final HttpMessageConverter<OAuth2Error> OAUTH2_ERRORS = new OAuth2ErrorHttpMessageConverter();

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain authorizationServerSecurityFilterChain(HttpSecurity http,
                                                               AuthorizationServerSettings settings,
                                                               RegisteredClientRepository clients)
            throws Exception {
        OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        RequestMatcher clientEndpoints = new OrRequestMatcher(
                paths.matcher(HttpMethod.POST, settings.getTokenEndpoint()),
                paths.matcher(HttpMethod.POST, settings.getTokenIntrospectionEndpoint()),
                paths.matcher(HttpMethod.POST, settings.getTokenRevocationEndpoint()));
        http.securityMatcher(server.getEndpointsMatcher())
                // registered before the server's own default (an empty 401), so it takes precedence
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        AuthorizationServerConfiguration::invalidClient, clientEndpoints))
                .addFilterBefore(new CodeFlowGuard(PathPatternRequestMatcher.withDefaults()
                        .matcher(settings.getAuthorizationEndpoint()), clients), LogoutFilter.class)
                .with(server, configurer -> configurer.oidc(Customizer.withDefaults()))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    /**
     * A token, introspection or revocation request without client credentials: RFC 6749 §5.2 answers
     * {@code invalid_client} for it, as for wrong credentials (which the server itself answers so).
     */
    private static void invalidClient(HttpServletRequest request, HttpServletResponse response,
                                      AuthenticationException exception) throws IOException {
        ServletServerHttpResponse out = new ServletServerHttpResponse(response);
        out.setStatusCode(HttpStatus.UNAUTHORIZED);
        OAUTH2_ERRORS.write(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT), null, out);
    }

    @Bean
    RegisteredClientRepository registeredClientRepository(JdbcTemplate jdbc) {
        return new JdbcRegisteredClientRepository(jdbc);
    }

    @Bean
    OAuth2AuthorizationService authorizationService(JdbcTemplate jdbc, RegisteredClientRepository clients) {
        return new DigestedTokenAuthorizationService(new JdbcOAuth2AuthorizationService(jdbc, clients));
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(AuthSettings settings) {
        return AuthorizationServerSettings.builder().issuer(settings.issuer()).build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    JwtEncoder jwtEncoder(SigningKeys keys) {
        return new NimbusJwtEncoder(keys);
    }

    /**
     * The one decoder of this service's resource server: the configured external issuer's keys when
     * {@code spring.security.oauth2.resourceserver.jwt.jwk-set-uri} is set (as in tests), otherwise this
     * service's own signing keys, read directly rather than over HTTP.
     */
    @Bean
    JwtDecoder jwtDecoder(SigningKeys keys, AuthSettings settings,
                          @Value("${spring.security.oauth2.resourceserver.jwt.jwk-set-uri:}") String jwkSetUri,
                          @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri:}") String issuerUri,
                          ObjectProvider<OAuth2TokenValidator<Jwt>> extraValidators) {
        NimbusJwtDecoder decoder;
        String issuer;
        if (!jwkSetUri.isBlank()) {
            decoder = NimbusJwtDecoder.withJwkSetUri(jwkSetUri).build();
            issuer = issuerUri.isBlank() ? null : issuerUri;
        } else {
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
            decoder = new NimbusJwtDecoder(processor);
            issuer = settings.issuer();
        }
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(issuer == null ? JwtValidators.createDefault() : JwtValidators.createDefaultWithIssuer(issuer));
        extraValidators.orderedStream().forEach(validators::add);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    @Bean
    OAuth2AuthorizationCleanup oauth2AuthorizationCleanup(JdbcTemplate jdbc) {
        return new OAuth2AuthorizationCleanup(jdbc);
    }
}
