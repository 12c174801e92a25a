package io.qnsp.host;

import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationHook;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gives a hosted service its own environment: the variables its process would have had, as a property source just
 * ahead of the JVM's environment (so system properties and command-line arguments still win, as for a process),
 * read with the same relaxed names ({@code QNSP_AUTH_ISSUER} is {@code qnsp.auth.issuer}). Its meters stay in its
 * own registry rather than also in Micrometer's JVM-wide one, which every hosted service would share. Once the
 * environment is ready, the service's {@code logging.level} settings are applied to the host's logging.
 */
final class ServiceEnvironmentHook implements SpringApplicationHook {

    /** A name ending in {@code -systemEnvironment}: Spring Boot then maps relaxed names as for the real one. */
    static final String SOURCE_NAME = "qnspService-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;

    private final ServiceHost.HostedService service;
    private final ServiceLogs logs;

    ServiceEnvironmentHook(ServiceHost.HostedService service, ServiceLogs logs) {
        this.service = service;
        this.logs = logs;
    }

    @Override
    public SpringApplicationRunListener getRunListener(SpringApplication application) {
        return new SpringApplicationRunListener() {
            @Override
            public void environmentPrepared(ConfigurableBootstrapContext bootstrapContext,
                                            ConfigurableEnvironment environment) {
                addServiceEnvironment(environment, service.environment());
                logs.applyLevels(Binder.get(environment)
                        .bind("logging.level", Bindable.mapOf(String.class, String.class))
                        .orElse(Map.of()));
            }
        };
    }

    static void addServiceEnvironment(ConfigurableEnvironment environment, Map<String, Object> variables) {
        Map<String, Object> source = new LinkedHashMap<>(variables);
        source.putIfAbsent("MANAGEMENT_METRICS_USEGLOBALREGISTRY", "false");
        MutablePropertySources sources = environment.getPropertySources();
        SystemEnvironmentPropertySource serviceSource = new SystemEnvironmentPropertySource(SOURCE_NAME, source);
        if (sources.contains(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)) {
            sources.addBefore(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, serviceSource);
        } else {
            sources.addFirst(serviceSource);
        }
    }
}
