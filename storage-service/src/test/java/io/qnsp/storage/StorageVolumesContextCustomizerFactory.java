package io.qnsp.storage;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Gives every storage test context volumes of its own under the temporary directory: the home region
 * {@value #HOME} and two replica regions, {@value #EU} and {@value #AP}.
 */
class StorageVolumesContextCustomizerFactory implements ContextCustomizerFactory {

    static final String HOME = "us-east-1";
    static final String EU = "eu-west-1";
    static final String AP = "ap-south-1";

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     java.util.List<ContextConfigurationAttributes> attributes) {
        return new Volumes();
    }

    private record Volumes() implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
            try {
                Path root = Files.createTempDirectory("qnsp-storage-test-");
                context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("storage-volumes",
                        Map.of("qnsp.storage.region", HOME,
                                "qnsp.storage.volume", root.resolve(HOME).toString(),
                                "qnsp.storage.replica-regions", EU + "=" + root.resolve(EU) + "," + AP + "="
                                        + root.resolve(AP))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
