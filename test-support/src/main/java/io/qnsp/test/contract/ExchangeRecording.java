package io.qnsp.test.contract;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * Puts an {@link ExchangeRecorder} and the recording filter of the instance's web stack into a service instance's
 * application context; contexts that serve no HTTP are left alone.
 */
public final class ExchangeRecording {

    static final String RECORDER = "qnspExchangeRecorder";

    private static final String SERVLET_CONTEXT = "org.springframework.web.context.WebApplicationContext";
    private static final String REACTIVE_CONTEXT =
            "org.springframework.boot.web.context.reactive.ReactiveWebApplicationContext";

    private ExchangeRecording() {
    }

    /** Installs recording, before the context is refreshed; returns the recorder, or {@code null} for no web. */
    public static ExchangeRecorder install(ConfigurableApplicationContext context, String name) {
        ClassLoader loader = ExchangeRecording.class.getClassLoader();
        ExchangeRecorder recorder = new ExchangeRecorder(name, context.getEnvironment());
        if (isInstance(SERVLET_CONTEXT, context, loader) && ClassUtils.isPresent("jakarta.servlet.Filter", loader)
                && ClassUtils.isPresent("org.springframework.boot.web.servlet.FilterRegistrationBean", loader)) {
            ServletExchangeRecording.install(context, recorder);
        } else if (isInstance(REACTIVE_CONTEXT, context, loader)
                && ClassUtils.isPresent("org.springframework.web.server.WebFilter", loader)) {
            ReactiveExchangeRecording.install(context, recorder);
        } else {
            return null;
        }
        context.getBeanFactory().registerSingleton(RECORDER, recorder);
        return recorder;
    }

    private static boolean isInstance(String type, Object object, ClassLoader loader) {
        return ClassUtils.isPresent(type, loader) && ClassUtils.resolveClassName(type, loader).isInstance(object);
    }
}
