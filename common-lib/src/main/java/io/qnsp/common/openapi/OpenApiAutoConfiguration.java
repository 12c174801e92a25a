package io.qnsp.common.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The OpenAPI document's frame for every service: its title and the platform's three ways to authenticate,
 * so each operation can name the one it needs.
 */
@AutoConfiguration
@ConditionalOnClass(OpenAPI.class)
public class OpenApiAutoConfiguration {

    /** Scheme names operations refer to with {@code @SecurityRequirement(name = ...)}. */
    public static final String BEARER_JWT = "bearerJwt";
    public static final String ADMIN_TOKEN = "adminToken";
    public static final String API_KEY = "apiKey";

    @Bean
    @ConditionalOnMissingBean
    OpenAPI qnspOpenApi(@Value("${spring.application.name:qnsp-service}") String service) {
        return new OpenAPI()
                .info(new Info().title("QNSP " + service).version("v1"))
                .components(new Components()
                        .addSecuritySchemes(BEARER_JWT, new SecurityScheme()
                                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                                .description("Access token issued by auth-service"))
                        .addSecuritySchemes(ADMIN_TOKEN, new SecurityScheme()
                                .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name("X-Admin-Token")
                                .description("Operator token from the service's configuration"))
                        .addSecuritySchemes(API_KEY, new SecurityScheme()
                                .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name("X-API-Key")
                                .description("DataHub API key (dh_{env}_…)")));
    }
}
