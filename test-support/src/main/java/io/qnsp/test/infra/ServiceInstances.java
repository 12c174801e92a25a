package io.qnsp.test.infra;

import io.qnsp.test.contract.ExchangeRecorder;
import io.qnsp.test.contract.ExchangeRecording;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Whole instances of one service, started by a test as the service would run (several at once, or one after
 * another to see what survives a restart), sharing one fresh database and one Redis key prefix.
 */
public final class ServiceInstances implements AutoCloseable {

    private final Class<?> application;
    private final Map<String, Object> shared = new LinkedHashMap<>();
    private final List<ConfigurableApplicationContext> running = new ArrayList<>();
    private final List<ExchangeRecorder> recorders = new ArrayList<>();

    /**
     * @param application     the service's {@code @SpringBootApplication} class
     * @param redis           the Redis the instances use
     * @param extraProperties further properties for every instance
     */
    public ServiceInstances(Class<?> application, TestRedis redis, Map<String, Object> extraProperties) {
        this.application = application;
        TestPostgres postgres = TestPostgres.shared();
        shared.put("spring.datasource.url", postgres.createDatabase(application.getSimpleName()));
        shared.put("spring.datasource.username", postgres.user());
        shared.put("spring.datasource.password", postgres.password());
        shared.put("spring.data.redis.url", "redis://" + redis.host() + ":" + redis.port());
        shared.put("qnsp.redis.key-prefix", "i" + UUID.randomUUID().toString().substring(0, 8) + ":");
        shared.put("server.port", 0);
        shared.put("qnsp.redis.command-timeout", TestRedis.COMMAND_TIMEOUT.toMillis() + "ms");
        shared.putAll(extraProperties);
    }

    /** Starts one more instance (profile {@code test}) and returns its HTTP port. */
    public int start() {
        // as command-line arguments, so they outrank the service's own application.yml
        String[] arguments = shared.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        List<ExchangeRecorder> recorder = new ArrayList<>(1);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .profiles("test")
                // its exchanges are checked against its document, as in any other test of the service
                .initializers(starting -> recorder.add(ExchangeRecording.install(starting,
                        application.getSimpleName() + " instance " + (running.size() + 1))))
                .run(arguments);
        running.add(context);
        recorders.add(recorder.isEmpty() ? null : recorder.getFirst());
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    /** The context of the {@code index}-th started instance. */
    public ConfigurableApplicationContext context(int index) {
        return running.get(index);
    }

    /**
     * Stops the {@code index}-th started instance, as a restart would; fails if an answer it gave breaks its API
     * document.
     */
    public void stop(int index) {
        List<String> problems = verify(index);
        running.get(index).close();
        fail(problems);
    }

    public String keyPrefix() {
        return (String) shared.get("qnsp.redis.key-prefix");
    }

    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < running.size(); i++) {
            if (running.get(i).isActive()) {
                problems.addAll(verify(i));
            }
        }
        running.forEach(ConfigurableApplicationContext::close);
        fail(problems);
    }

    private List<String> verify(int index) {
        ExchangeRecorder recorder = recorders.get(index);
        return recorder == null || !running.get(index).isActive() ? List.of() : recorder.verify();
    }

    private void fail(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new AssertionError(ExchangeRecorder.report(application.getSimpleName(), problems));
        }
    }
}
