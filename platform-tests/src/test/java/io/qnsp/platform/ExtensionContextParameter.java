package io.qnsp.platform;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands a test method or a {@code @BeforeAll} method its {@link ExtensionContext}, through which a test class
 * reaches the platform it shares with others ({@link SharedPlatforms}). Registered for every test class of this module
 * ({@code META-INF/services}, with extension auto-detection on in {@code junit-platform.properties}).
 */
public final class ExtensionContextParameter implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ExtensionContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context;
    }
}
