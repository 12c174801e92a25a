package io.qnsp.gateway.authentication;

import io.netty.channel.ChannelOption;
import io.qnsp.common.openapi.PublicEndpoints;
import io.qnsp.common.redis.RedisKeys;
import io.qnsp.gateway.web.GatewayErrors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * The authentication filter and what it needs: the JWT decoder, the key verifier and its change listener, and the
 * credentials the proxied call carries.
 */
@Configuration(proxyBeanMethods = false)
class AuthenticationConfiguration {

    @Bean
    ReactiveJwtDecoder gatewayJwtDecoder(AuthenticationProperties properties) {
        AuthenticationProperties.Auth auth = properties.auth();
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(auth.jwkSetUri().toString())
                .webClient(authServiceWebClient(auth))
                .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(auth.issuer().toString()),
                new JwtAudienceValidator(auth.audience())));
        return decoder;
    }

    @Bean
    ApiKeyVerifier apiKeyVerifier(AuthenticationProperties properties) {
        AuthenticationProperties.Auth auth = properties.auth();
        WebClient web = authServiceWebClient(auth);
        AuthServiceClient client = new AuthServiceClient(web, new GatewayAccessToken(web, auth), auth);
        return new ApiKeyVerifier(client, auth.keyCache());
    }

    @Bean
    PublicPaths gatewayPublicPaths(AuthenticationProperties properties) {
        return new PublicPaths(properties.publicPaths());
    }

    @Bean
    AuthenticationFilter authenticationFilter(PublicPaths gatewayPublicPaths, ReactiveJwtDecoder gatewayJwtDecoder,
                                              ApiKeyVerifier apiKeyVerifier, GatewayErrors errors) {
        return new AuthenticationFilter(gatewayPublicPaths, new Authenticator(gatewayJwtDecoder, apiKeyVerifier),
                errors);
    }

    @Bean
    ForwardedCredentials forwardedCredentials() {
        return new ForwardedCredentials();
    }

    /**
     * The paths the gateway lets through without credentials, for the API documents: the gateway's own operations
     * there declare no security, and the services' operations it exposes there are not authenticated by it.
     */
    @Bean
    PublicEndpoints gatewayPublicEndpoints(PublicPaths gatewayPublicPaths) {
        return gatewayPublicPaths::matches;
    }

    @Bean
    ApiKeyChangeListener apiKeyChangeListener(ReactiveRedisConnectionFactory connectionFactory, RedisKeys keys,
                                              ApiKeyVerifier apiKeyVerifier) {
        return new ApiKeyChangeListener(connectionFactory, keys.key(ApiKeyChangeListener.CHANNEL), apiKeyVerifier);
    }

    /** Calls to auth-service give up after {@code qnsp.gateway.auth.timeout}, so a hung auth-service is a 503. */
    private static WebClient authServiceWebClient(AuthenticationProperties.Auth auth) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, auth.timeout().toMillis()))
                .responseTimeout(auth.timeout());
        return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }
}
