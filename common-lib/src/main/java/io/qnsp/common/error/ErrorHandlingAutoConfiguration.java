package io.qnsp.common.error;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders every failure of a servlet service in its API family's error format (per path, see {@link ApiFamilies}):
 * the {@link ErrorResponseWriter} for filters and security, one controller advice for Spring MVC, and the
 * {@code /error} page for the rest.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(ErrorsProperties.class)
public class ErrorHandlingAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ApiFamilies qnspApiFamilies(ErrorsProperties properties) {
        return new ApiFamilies(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    ErrorResponseWriter errorResponseWriter(ApiFamilies families) {
        return new ErrorResponseWriter(families);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({DispatcherServlet.class, ErrorMvcAutoConfiguration.class})
    static class MvcErrorHandling {

        @Bean
        FailureTranslator qnspFailureTranslator(ObjectProvider<JsonMapper> jsonMapper) {
            return new FailureTranslator(jsonMapper.getIfAvailable(JsonMapper::shared));
        }

        @Bean
        PlatformExceptionHandler qnspExceptionHandler(FailureTranslator translator, ErrorResponseWriter writer) {
            return new PlatformExceptionHandler(translator, writer);
        }

        @Bean
        @ConditionalOnMissingBean(ErrorController.class)
        PlatformErrorController qnspErrorController(FailureTranslator translator, ErrorResponseWriter writer) {
            return new PlatformErrorController(translator, writer);
        }
    }
}
