package io.qnsp.common.observability;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The platform's operational defaults for every service, at the lowest precedence so a service's own
 * configuration or the environment can override any of them: liveness and readiness probes (readiness follows
 * PostgreSQL and Redis), Prometheus metrics without long-task timers, structured JSON logs carrying the request id,
 * graceful shutdown.
 */
public class PlatformDefaults implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "qnspPlatformDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("management.endpoints.web.exposure.include", "health,info,prometheus");
        defaults.put("management.endpoint.health.probes.enabled", "true");
        defaults.put("management.endpoint.health.show-details", "never");
        defaults.put("management.endpoint.health.validate-group-membership", "false");
        defaults.put("management.endpoint.health.group.readiness.include", "readinessState,db,redis");
        defaults.put("management.endpoint.health.group.liveness.include", "livenessState");
        defaults.put("management.metrics.tags.service", "${spring.application.name:unknown}");
        // an "active requests" long-task timer per observation doubles the work of every observed request
        defaults.put("management.metrics.observations.ignored-meters", "long-task-timer");
        // Spring Boot's logstash layout, written by a formatter several times cheaper per line (JsonLogLines)
        defaults.put("logging.structured.format.console", JsonLogLines.class.getName());
        // these log a request that could not be read with the parser's text, which quotes the request (a secret
        // sent without its quotes, say), at DEBUG: they stay at INFO even when DEBUG is switched on around them
        defaults.put("logging.level.org.springframework.web.method.HandlerMethod", "INFO");
        defaults.put("logging.level.org.springframework.web.servlet.mvc.method.annotation"
                + ".ExceptionHandlerExceptionResolver", "INFO");
        defaults.put("logging.level.org.springframework.web.servlet.DispatcherServlet", "INFO");
        defaults.put("server.shutdown", "graceful");
        defaults.put("spring.threads.virtual.enabled", "true");
        defaults.put("spring.jpa.open-in-view", "false");
        // a request waits at most this long for a connection while the database is away, then answers 503
        // dependency_down (well within the gateway's response timeout); Hikari's own default is 30 s
        defaults.put("spring.datasource.hikari.connection-timeout", "3000");
        defaults.put("springdoc.swagger-ui.path", "/swagger-ui.html");
        // OpenAPI 3.0: what client generators and validators read reliably (3.1's JSON Schema is not yet)
        defaults.put("springdoc.api-docs.version", "openapi_3_0");
        defaults.put("springdoc.default-produces-media-type", "application/json");
        defaults.put("springdoc.default-consumes-media-type", "application/json");
        defaults.put("springdoc.writer-with-order-by-keys", "true");
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
    }
}
