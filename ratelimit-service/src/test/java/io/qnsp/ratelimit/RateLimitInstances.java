package io.qnsp.ratelimit;

import io.qnsp.test.infra.TestPostgres;
import io.qnsp.test.infra.TestRedis;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Whole ratelimit-service instances started by a test, sharing one database and one Redis. */
final class RateLimitInstances implements AutoCloseable {

    private final Map<String, Object> shared = new LinkedHashMap<>();
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    RateLimitInstances(TestRedis redis, Map<String, Object> extraProperties) {
        TestPostgres postgres = TestPostgres.shared();
        shared.put("spring.datasource.url", postgres.createDatabase("instances"));
        shared.put("spring.datasource.username", postgres.user());
        shared.put("spring.datasource.password", postgres.password());
        shared.put("spring.data.redis.url", "redis://" + redis.host() + ":" + redis.port());
        shared.put("qnsp.redis.key-prefix", "i" + UUID.randomUUID().toString().substring(0, 8) + ":");
        shared.put("server.port", 0);
        shared.putAll(extraProperties);
    }

    /** Starts one more instance and returns its HTTP port. */
    int start() {
        // as command-line arguments, so they outrank the service's own application.yml
        String[] arguments = shared.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RateLimitApplication.class)
                .profiles("test")
                .run(arguments);
        running.add(context);
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    ConfigurableApplicationContext context(int index) {
        return running.get(index);
    }

    String keyPrefix() {
        return (String) shared.get("qnsp.redis.key-prefix");
    }

    @Override
    public void close() {
        running.forEach(ConfigurableApplicationContext::close);
    }
}
