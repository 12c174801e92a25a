package io.qnsp.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Starts the platform on a laptop: PostgreSQL and Redis (embedded, or external ones named by
 * {@code QNSP_DB_URL} / {@code QNSP_REDIS_URL}), then every configured service, those named by
 * {@code shared-jvm.services} together in one JVM ({@link SharedJvm}) and the others as processes of their own,
 * waits until each is ready, and prints where to reach it with the bootstrap credentials. Ctrl-C stops everything
 * cleanly; data lives on in the platform's home directory ({@code QNSP_HOME}, default {@code .qnsp}).
 * <p>
 * The terminal shows progress, the summary and the credentials, nothing else: every process writes to its own
 * file in the home's {@code logs} directory (services, PostgreSQL, Redis), and what libraries log in this JVM goes
 * to {@code launcher.log} there (logback.xml). A failure to start is printed as one message naming the log to read.
 */
public final class PlatformLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformLauncher.class);

    private PlatformLauncher() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run();
        } catch (LaunchFailure failure) {
            LOG.error("The platform did not start: {}", failure.getMessage());
            System.err.println();
            System.err.println(failure.getMessage());
            System.exit(1);
        }
    }

    private static void run() throws Exception {
        Path home = PlatformHome.resolve();
        Path projectRoot = Path.of(System.getenv().getOrDefault("QNSP_PROJECT_ROOT", ".")).toAbsolutePath();
        Path logs = Files.createDirectories(PlatformHome.logs(home));
        // what libraries log through java.util.logging (the JDBC driver) goes where logback.xml sends the rest
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Properties config = loadConfig();

        Secrets secrets = Secrets.loadOrCreate(home.resolve("secrets.properties"));
        List<ServiceSpec> specs = ServiceSpec.fromConfig(config, projectRoot, home);
        LOG.info("Starting the platform in {}: {}", home, specs.stream().map(ServiceSpec::name).toList());
        for (ServiceSpec spec : specs) {
            Ports.requireFree(spec.port(), spec.name(),
                    "run the platform on other ports with QNSP_PLATFORM_CONFIG (see the README)");
        }
        Map<String, String> sharedEnvironment = new LinkedHashMap<>();
        for (String name : config.stringPropertyNames()) {
            if (name.startsWith("secret.")) {
                String variable = name.substring("secret.".length());
                sharedEnvironment.put(variable, secrets.get(variable, config.getProperty(name)));
            }
        }

        Infrastructure infrastructure = Infrastructure.start(home);
        sharedEnvironment.putAll(infrastructure.environment());

        List<ServiceProcess> running = new CopyOnWriteArrayList<>();
        Supervisor supervisor = new Supervisor(running);
        CountDownLatch stopped = new CountDownLatch(1);
        // the services run in sessions of their own (OwnSession), so Ctrl-C reaches this JVM only: the services
        // stop first, all at once and gracefully, and only once every one has, Redis and PostgreSQL
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println();
            System.out.println("Stopping the platform…");
            supervisor.stop();
            ServiceProcess.stopAll(running, Duration.ofSeconds(20), Duration.ofMinutes(5));
            LOG.info("Every service has stopped; stopping Redis and PostgreSQL");
            infrastructure.close();
            LOG.info("Stopped the platform");
            long training = running.stream().filter(ServiceProcess::training).count();
            if (training > 0) {
                System.out.println("Writing the services' AOT caches (once per build, so that the next start is "
                        + "faster)…");
                try {
                    int written = ServiceProcess.writeAotCaches(running, Runtime.getRuntime().availableProcessors());
                    System.out.println("  " + written + " of " + training + " written");
                    LOG.info("Wrote {} of {} AOT caches", written, training);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            System.out.println("Stopped. Data is kept in " + home);
            stopped.countDown();
        }, "platform-shutdown"));

        SharedJvm sharedJvm = SharedJvm.configure(config, specs, projectRoot, System.getenv("QNSP_SHARED_JVM"));
        List<ServiceSpec> ownProcesses = specs.stream().filter(spec -> !sharedJvm.hosts(spec)).toList();
        ServiceSpec host = sharedJvm.isEmpty() ? null : sharedJvm.prepare(home);
        Map<String, AotCache> caches = prepareAotCaches(host == null ? ownProcesses
                : Stream.concat(ownProcesses.stream(), Stream.of(host)).toList(),
                home, logs);
        Map<String, Map<String, String>> hostedEnvironments = new LinkedHashMap<>();
        for (ServiceSpec spec : specs) {
            Map<String, String> environment = new LinkedHashMap<>(sharedEnvironment);
            for (Map.Entry<String, String> secret : spec.secrets().entrySet()) {
                environment.put(secret.getKey(), secrets.get(secret.getKey(), secret.getValue()));
            }
            environment.putAll(spec.environment());
            environment.put("PORT", Integer.toString(spec.port()));
            if (sharedJvm.hosts(spec)) {
                hostedEnvironments.put(spec.name(), environment);
                System.out.printf("Starting %s on port %d in the shared JVM (log: %s)%n", spec.name(), spec.port(),
                        logs.resolve(spec.name() + ".log"));
                continue;
            }
            putMallocArenas(environment);
            System.out.printf("Starting %s on port %d (log: %s)%n", spec.name(), spec.port(),
                    logs.resolve(spec.name() + ".log"));
            running.add(ServiceProcess.start(spec, environment, logs, caches.get(spec.name())));
        }
        if (host != null) {
            Map<String, String> hostEnvironment = new LinkedHashMap<>();
            putMallocArenas(hostEnvironment);
            running.addAll(ServiceProcess.startShared(host, sharedJvm.hosted(),
                    sharedJvm.plan(logs, hostedEnvironments), hostEnvironment, logs, caches.get(host.name())));
        }
        System.out.println("Waiting until every service is ready…");
        ServiceProcess.awaitReady(running,
                Duration.ofSeconds(Long.parseLong(config.getProperty("ready-timeout-seconds", "180"))));
        printWelcome(specs, sharedEnvironment.get("QNSP_ADMIN_TOKEN"), infrastructure, home);
        announce(specs);
        LOG.info("The platform is up");
        if (Boolean.parseBoolean(config.getProperty("restart-services", "true"))) {
            supervisor.start();
        }
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
    }

    private static void putMallocArenas(Map<String, String> environment) {
        if (System.getenv("MALLOC_ARENA_MAX") == null) {
            // glibc gives each thread that allocates an arena of its own, up to 8 per core, and a JVM has dozens
            // of threads: two arenas keep a service's native memory smaller (docs/performance.md)
            environment.put("MALLOC_ARENA_MAX", "2");
        }
    }

    /**
     * Each service's AOT cache ({@link AotCache}), unless {@code QNSP_AOT_CACHE} is {@code off}: jars new since the
     * last start are extracted first, all at once.
     */
    private static Map<String, AotCache> prepareAotCaches(List<ServiceSpec> specs, Path home, Path logs)
            throws Exception {
        Map<String, AotCache> caches = new LinkedHashMap<>();
        if (!AotCache.enabled(System.getenv("QNSP_AOT_CACHE"))) {
            specs.forEach(spec -> caches.put(spec.name(), AotCache.none(spec)));
            return caches;
        }
        String java = ServiceProcess.java();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Future<AotCache>> preparing = new LinkedHashMap<>();
            for (ServiceSpec spec : specs) {
                List<String> options = ServiceProcess.options(java, spec);
                // the shared JVM's jar is a class path already; a service's executable jar is extracted first
                preparing.put(spec.name(), executor.submit(() -> spec.name().equals(SharedJvm.NAME)
                        ? AotCache.forJar(spec.name(), spec.jar(), home.resolve("aot").resolve(spec.name())
                                .resolve(AotCache.key(spec.jar(), java, options)))
                        : AotCache.prepare(spec, java, options, home, logs.resolve(spec.name() + ".log"))));
            }
            for (ServiceSpec spec : specs) {
                caches.put(spec.name(), preparing.get(spec.name()).get());
            }
        }
        if (caches.values().stream().anyMatch(AotCache::training)) {
            System.out.println("First start with this build: the services record their AOT caches, so the next "
                    + "start is faster");
        }
        return caches;
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
        specs.stream().filter(s -> s.name().equals("gateway-service")).findFirst().ifPresent(gateway ->
                System.out.printf("Dashboard: http://localhost:%d/dashboard/  (sign in with the client id and secret "
                        + "below, or an API key)%n%n", gateway.port()));
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
