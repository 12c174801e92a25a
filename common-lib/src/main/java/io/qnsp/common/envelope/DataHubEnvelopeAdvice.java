package io.qnsp.common.envelope;

import io.qnsp.common.error.ApiFamilies;
import io.qnsp.common.error.ErrorFamily;
import io.qnsp.common.error.RequestedPath;
import io.qnsp.common.web.RequestIds;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractJacksonHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Wraps the JSON bodies of successful controller responses on DataHub-family paths in the family's envelope, so
 * controllers return their data and never build {@code meta} themselves. Errors are written by the error handling
 * directly and never pass here; framework endpoints (actuator) are not controllers and keep their own shape.
 */
@ControllerAdvice
class DataHubEnvelopeAdvice implements ResponseBodyAdvice<Object> {

    // whether a handler class is a controller, looked up once per class: an annotation selector on the advice would
    // search the class's (meta-)annotations again on every request
    private static final ClassValue<Boolean> CONTROLLERS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return AnnotatedElementUtils.hasAnnotation(type, Controller.class);
        }
    };

    private final ApiFamilies families;

    DataHubEnvelopeAdvice(ApiFamilies families) {
        this.families = families;
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return AbstractJacksonHttpMessageConverter.class.isAssignableFrom(converterType)
                && CONTROLLERS.get(returnType.getContainingClass());
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
                                  Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
                                  ServerHttpResponse response) {
        if (body == null || !(request instanceof ServletServerHttpRequest servletRequest) || !isJson(contentType)) {
            return body;
        }
        HttpServletRequest servlet = servletRequest.getServletRequest();
        if (families.ofPath(RequestedPath.of(servlet)) != ErrorFamily.DATAHUB) {
            return body;
        }
        // a controller answering an error status itself is not a success; it keeps its own body
        if (response instanceof ServletServerHttpResponse servletResponse
                && servletResponse.getServletResponse().getStatus() >= 400) {
            return body;
        }
        String requestId = servlet.getAttribute(RequestIds.ATTRIBUTE) instanceof String id ? id : RequestIds.current();
        return DataHubEnvelope.success(body, requestId, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private static boolean isJson(MediaType contentType) {
        return contentType != null && (MediaType.APPLICATION_JSON.isCompatibleWith(contentType)
                || contentType.getSubtype().endsWith("+json"));
    }
}
