package io.qnsp.test.infra;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

import java.util.List;

/** Creates the {@link InfrastructureContextCustomizer} for classes annotated {@link EmbeddedInfrastructure}. */
class InfrastructureContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        // also finds the annotation on the enclosing class of a @Nested test class
        boolean annotated = TestContextAnnotationUtils.hasAnnotation(testClass, EmbeddedInfrastructure.class);
        return annotated ? new InfrastructureContextCustomizer(testClass) : null;
    }
}
