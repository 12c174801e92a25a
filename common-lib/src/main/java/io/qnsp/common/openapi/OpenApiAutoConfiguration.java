package io.qnsp.common.openapi;

import io.qnsp.common.envelope.EnvelopeAutoConfiguration;
import io.qnsp.common.error.ApiFamilies;
import io.qnsp.common.error.ErrorsProperties;
import io.qnsp.common.security.Caller;
import io.qnsp.common.security.PlatformSecurityProperties;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springdoc.core.utils.Constants;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.util.ArrayList;
import java.util.List;

/**
 * Every service's OpenAPI document, held to the platform's conventions so a client generator can trust it: its
 * title and the platform's three ways to authenticate, each operation's security requirement, summary, stable
 * operation id and real responses (see {@link PlatformDocumentCustomizer}), records whose required and nullable
 * fields match what is sent ({@link RecordSchemaConverter}), and no framework internals: the injected
 * {@link Caller} is no request parameter, and the error page is no endpoint.
 */
// before springdoc, so that our operation-id customizer takes the place of its renaming one
@AutoConfiguration(beforeName = "org.springdoc.core.configuration.SpringDocConfiguration")
@ConditionalOnClass({OpenAPI.class, GlobalOpenApiCustomizer.class})
@EnableConfigurationProperties(ErrorsProperties.class)
public class OpenApiAutoConfiguration {

    /** Scheme names operations refer to with {@code @SecurityRequirement(name = ...)}. */
    public static final String BEARER_JWT = "bearerJwt";
    public static final String ADMIN_TOKEN = "adminToken";
    public static final String API_KEY = "apiKey";

    static {
        // resolved from the security context by common-lib, never sent by a client
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

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

    @Bean
    GlobalOperationCustomizer qnspControlsOperationCustomizer() {
        return new ControlsOperationCustomizer();
    }

    /** Named as springdoc's own, which it replaces: that one renames clashing operation ids with suffixes. */
    @Bean(Constants.GLOBAL_OPEN_API_CUSTOMIZER)
    GlobalOpenApiCustomizer qnspDocumentCustomizer(ObjectProvider<ApiFamilies> families, ErrorsProperties errors,
                                                   ObjectProvider<PublicEndpoints> publicEndpoints,
                                                   ObjectProvider<PlatformSecurityProperties> security,
                                                   ApplicationContext context) {
        PlatformSecurityProperties settings = security.getIfAvailable();
        PublicEndpoints open = publicEndpoints.getIfAvailable(() -> settings == null ? path -> false
                : servletPublicPaths(settings));
        // the envelope advice is there exactly for a servlet service on common-lib's web stack
        boolean servlet = context.containsBean(EnvelopeAutoConfiguration.ADVICE);
        return new PlatformDocumentCustomizer(families.getIfAvailable(() -> new ApiFamilies(errors)), open,
                settings != null && settings.hasAdminToken(), servlet);
    }

    @Bean
    ModelConverter qnspRecordSchemaConverter() {
        return new RecordSchemaConverter();
    }

    /** The paths {@code PlatformSecurityAutoConfiguration} lets through without authentication. */
    static PublicEndpoints servletPublicPaths(PlatformSecurityProperties settings) {
        List<String> patterns = new ArrayList<>(PlatformSecurityProperties.ALWAYS_PUBLIC);
        patterns.addAll(settings.publicPaths());
        List<PathPattern> parsed = patterns.stream().map(PathPatternParser.defaultInstance::parse).toList();
        return path -> {
            PathContainer container = PathContainer.parsePath(path);
            return parsed.stream().anyMatch(pattern -> pattern.matches(container));
        };
    }
}
