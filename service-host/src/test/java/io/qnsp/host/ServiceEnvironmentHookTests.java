package io.qnsp.host;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A hosted service reads its own environment variables as its process would have. */
class ServiceEnvironmentHookTests {

    @Test
    void theServicesVariablesBindWithRelaxedNamesAndSystemPropertiesStillWin() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                        Map.of("qnsp.kms.url", "http://from-a-system-property")));
        ConfigurationPropertySources.attach(environment);

        ServiceEnvironmentHook.addServiceEnvironment(environment, Map.of(
                "QNSP_AUTH_BOOTSTRAPCREDENTIALSFILE", "/home/qnsp/credentials.txt",
                "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI", "http://localhost:8081",
                "QNSP_KMS_URL", "http://from-the-service-environment",
                "PORT", "8083"));
        Binder binder = Binder.get(environment);

        assertThat(binder.bind("qnsp.auth.bootstrap-credentials-file", String.class).get())
                .isEqualTo("/home/qnsp/credentials.txt");
        assertThat(binder.bind("spring.security.oauth2.resourceserver.jwt.issuer-uri", String.class).get())
                .isEqualTo("http://localhost:8081");
        assertThat(environment.resolvePlaceholders("${PORT:8080}")).isEqualTo("8083");
        assertThat(environment.getProperty("qnsp.kms.url")).isEqualTo("http://from-a-system-property");
        assertThat(environment.getProperty("management.metrics.use-global-registry")).isEqualTo("false");
    }
}
