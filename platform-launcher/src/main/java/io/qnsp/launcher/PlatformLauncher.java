package io.qnsp.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the platform on a laptop: PostgreSQL and Redis (embedded, or external ones named by
 * {@code QNSP_DB_URL} / {@code QNSP_REDIS_URL}), then every configured service as its own process, waits until
 * each is ready, and prints where to reach it with the bootstrap credentials. Ctrl-C stops everything cleanly;
 * data lives on in the platform's home directory ({@code QNSP_HOME}, default {@code .qnsp}).
 */
public final class PlatformLauncher {

    private PlatformLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getenv().getOrDefault("QNSP_HOME", ".qnsp")).toAbsolutePath();
        Path projectRoot = Path.of(System.getenv().getOrDefault("QNSP_PROJECT_ROOT", ".")).toAbsolutePath();
        Files.createDirectories(home.resolve("logs"));
        Properties config = loadConfig();

        Secrets secrets = Secrets.loadOrCreate(home.resolve("secrets.properties"));
        List<ServiceSpec> specs = ServiceSpec.fromConfig(config, projectRoot, home);
        Map<String, String> sharedEnvironment = new LinkedHashMap<>();
        for (String name : config.stringPropertyNames()) {
            if (name.startsWith("secret.")) {
                String variable = name.substring("secret.".length());
                sharedEnvironment.put(variable, secrets.get(variable, config.getProperty(name)));
            }
        }

        Infrastructure infrastructure = Infrastructure.start(home);
        sharedEnvironment.putAll(infrastructure.environment());

        List<ServiceProcess> running = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println();
            System.out.println("Stopping the platform…");
            for (int i = running.size() - 1; i >= 0; i--) {
                running.get(i).stop(Duration.ofSeconds(20));
            }
            infrastructure.close();
            System.out.println("Stopped. Data is kept in " + home);
            stopped.countDown();
        }, "platform-shutdown"));

        for (ServiceSpec spec : specs) {
            Map<String, String> environment = new LinkedHashMap<>(sharedEnvironment);
            for (Map.Entry<String, String> secret : spec.secrets().entrySet()) {
                environment.put(secret.getKey(), secrets.get(secret.getKey(), secret.getValue()));
            }
            environment.putAll(spec.environment());
            environment.put("PORT", Integer.toString(spec.port()));
            System.out.printf("Starting %s on port %d (log: %s)%n", spec.name(), spec.port(),
                    home.resolve("logs").resolve(spec.name() + ".log"));
            running.add(ServiceProcess.start(spec, environment, home.resolve("logs")));
        }
        for (ServiceProcess service : running) {
            service.awaitReady(Duration.ofSeconds(180));
        }
        printWelcome(specs, sharedEnvironment.get("QNSP_ADMIN_TOKEN"), infrastructure, home);
        announce(specs);
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
    }

    /** Shows what services wrote for the operator once (first-start credentials), then deletes it. */
    private static void announce(List<ServiceSpec> specs) throws IOException {
        for (ServiceSpec spec : specs) {
            if (spec.announce() != null && Files.exists(spec.announce())) {
                System.out.println(Files.readString(spec.announce()));
                Files.delete(spec.announce());
            }
        }
    }

    private static Properties loadConfig() throws IOException {
        Properties config = new Properties();
        try (InputStream in = PlatformLauncher.class.getResourceAsStream("/platform.properties")) {
            config.load(in);
        }
        String override = System.getenv("QNSP_PLATFORM_CONFIG");
        if (override != null) {
            try (InputStream in = Files.newInputStream(Path.of(override))) {
                config.load(in);
            }
        }
        return config;
    }

    private static void printWelcome(List<ServiceSpec> specs, String adminToken, Infrastructure infrastructure,
                                     Path home) {
        System.out.println();
        System.out.println("QNSP platform is up.");
        for (ServiceSpec spec : specs) {
            System.out.printf("  %-20s http://localhost:%d  (API docs: /swagger-ui.html)%n", spec.name(), spec.port());
        }
        System.out.println("  PostgreSQL           " + infrastructure.describePostgres());
        System.out.println("  Redis                " + infrastructure.describeRedis());
        System.out.println("  Data and logs        " + home);
        System.out.println();
        System.out.println("Admin token (X-Admin-Token, rate-limit administration): " + adminToken);
        System.out.println();
        String base = specs.stream().filter(s -> s.name().equals("gateway-service")).findFirst()
                .or(() -> specs.stream().filter(s -> s.name().equals("ratelimit-service")).findFirst())
                .map(s -> "http://localhost:" + s.port()).orElse("http://localhost:8080");
        System.out.println("Create a rate-limit key and spend a token with it:");
        System.out.println("  curl -s -X POST " + base + "/v1/api-keys -H 'X-Admin-Token: " + adminToken + "' \\");
        System.out.println("       -H 'Content-Type: application/json' -d '{\"name\":\"my first key\"}'");
        System.out.println("  curl -s -X POST " + base + "/v1/check -H 'Content-Type: application/json' \\");
        System.out.println("       -d '{\"apiKey\":\"<apiKey from above>\",\"cost\":1}'");
        System.out.println();
    }
}
