package io.qnsp.platform;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands a test class's {@code @BeforeAll} method its {@link ExtensionContext}, which JUnit Jupiter does not inject by
 * itself, so that a drill can join the shared platform with {@code DrillPlatform.running(context)}. Use it with
 * {@code @ExtendWith(ExtensionContextParameter.class)} on the class.
 */
final class ExtensionContextParameter implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ExtensionContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context;
    }
}
