package io.qnsp.vault;

import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

import java.util.List;
import java.util.Map;

/** Points every vault test context at the {@link FakeKms} of the test JVM. */
class FakeKmsContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        return new FakeKmsCustomizer();
    }

    private record FakeKmsCustomizer() implements ContextCustomizer {

        @Override
        public void customizeContext(org.springframework.context.ConfigurableApplicationContext context,
                                     org.springframework.test.context.MergedContextConfiguration merged) {
            FakeKms kms = FakeKms.instance();
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("fake-kms", Map.of(
                    "qnsp.vault.envelope.kms-url", kms.url(),
                    "qnsp.vault.envelope.token-uri", kms.url() + "/oauth2/token",
                    "qnsp.vault.envelope.client-id", FakeKms.CLIENT_ID,
                    "qnsp.vault.envelope.client-secret", FakeKms.CLIENT_SECRET)));
        }
    }
}
