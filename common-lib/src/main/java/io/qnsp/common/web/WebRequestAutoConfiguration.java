package io.qnsp.common.web;

import io.qnsp.common.error.ErrorHandlingAutoConfiguration;
import io.qnsp.common.error.ErrorResponseWriter;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import tools.jackson.databind.JacksonModule;

/**
 * Request ids, the request body limit and the refusal of NUL characters for servlet services, as the first filters
 * every request passes, ahead of Spring Security, so that even its 401s carry the id.
 */
@AutoConfiguration(after = ErrorHandlingAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(WebRequestProperties.class)
public class WebRequestAutoConfiguration {

    /** Runs first of all filters. */
    public static final int REQUEST_ID_ORDER = Ordered.HIGHEST_PRECEDENCE;
    /** Runs right after the request id filter, before anything reads the body. */
    public static final int BODY_LIMIT_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;
    /** Runs right after the body limit, before Spring Security and anything that looks a parameter up. */
    public static final int NUL_CHARACTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    @Bean
    FilterRegistrationBean<RequestIdFilter> qnspRequestIdFilter() {
        FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
        registration.setOrder(REQUEST_ID_ORDER);
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> qnspRequestBodyLimitFilter(WebRequestProperties properties,
                                                                             ErrorResponseWriter writer) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestBodyLimitFilter(properties.maxRequestBody().toBytes(), properties.pathLimits(), writer));
        registration.setOrder(BODY_LIMIT_ORDER);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        return registration;
    }

    @Bean
    FilterRegistrationBean<NulCharacterFilter> qnspNulCharacterFilter(ErrorResponseWriter writer) {
        FilterRegistrationBean<NulCharacterFilter> registration = new FilterRegistrationBean<>(
                new NulCharacterFilter(writer));
        registration.setOrder(NUL_CHARACTER_ORDER);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        return registration;
    }

    /** Registered with the service's JSON mapper, as every {@code JacksonModule} bean is. */
    @Bean
    JacksonModule qnspNulFreeStrings() {
        return new NulFreeStrings();
    }
}
