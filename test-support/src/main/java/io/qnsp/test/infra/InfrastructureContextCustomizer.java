package io.qnsp.test.infra;

import io.qnsp.test.token.TestTokenIssuer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Gives each test context its own database and Redis key prefix, and makes it trust the {@link TestTokenIssuer};
 * unless the test sets one, the Redis command timeout is {@link TestRedis#COMMAND_TIMEOUT}.
 * All instances are equal, so test classes whose configuration is otherwise the same share one cached context;
 * every context that is created gets fresh ones.
 */
final class InfrastructureContextCustomizer implements ContextCustomizer {

    static final String PROPERTY_SOURCE = "qnspTestInfrastructure";
    static final String DEFAULTS_PROPERTY_SOURCE = "qnspTestInfrastructureDefaults";

    private final Class<?> testClass;

    InfrastructureContextCustomizer(Class<?> testClass) {
        this.testClass = testClass;
    }

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
        TestPostgres postgres = TestPostgres.shared();
        TestRedis redis = TestRedis.shared();
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.datasource.url", postgres.createDatabase(testClass.getSimpleName()));
        properties.put("spring.datasource.username", postgres.user());
        properties.put("spring.datasource.password", postgres.password());
        properties.put("spring.data.redis.host", redis.host());
        properties.put("spring.data.redis.port", redis.port());
        // services configure spring.data.redis.url, which would otherwise win over host and port
        properties.put("spring.data.redis.url", "redis://" + redis.host() + ":" + redis.port());
        properties.put("qnsp.redis.key-prefix", "t" + UUID.randomUUID().toString().substring(0, 8) + ":");
        TestTokenIssuer issuer = TestTokenIssuer.shared();
        properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", issuer.issuer());
        properties.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", issuer.jwkSetUri());
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));
        // a default only: last, so that a test's or the service's own setting wins
        context.getEnvironment().getPropertySources().addLast(new MapPropertySource(DEFAULTS_PROPERTY_SOURCE,
                Map.of("qnsp.redis.command-timeout", TestRedis.COMMAND_TIMEOUT.toMillis() + "ms")));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InfrastructureContextCustomizer;
    }

    @Override
    public int hashCode() {
        return InfrastructureContextCustomizer.class.hashCode();
    }
}
