package io.qnsp.test.kms;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

import java.util.List;
import java.util.Map;

/**
 * Points every test context of a service at the {@link FakeKms} of the test JVM ({@code qnsp.kms-client.url},
 * {@code token-uri} and {@code client-secret}; the service's own configuration names its client id). A service
 * registers it in its test {@code META-INF/spring.factories} under
 * {@code org.springframework.test.context.ContextCustomizerFactory}.
 */
public class FakeKmsContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        return new FakeKmsCustomizer();
    }

    private record FakeKmsCustomizer() implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
            FakeKms kms = FakeKms.instance();
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("fake-kms", Map.of(
                    "qnsp.kms-client.url", kms.url(),
                    "qnsp.kms-client.token-uri", kms.url() + "/oauth2/token",
                    "qnsp.kms-client.client-secret", FakeKms.CLIENT_SECRET)));
        }
    }
}
