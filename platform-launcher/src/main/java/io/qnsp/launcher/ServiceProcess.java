package io.qnsp.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A running service process: started from its jar, awaited until ready, started again the same way after it stopped
 * ({@link Supervisor}), stopped gracefully.
 */
final class ServiceProcess {

    /** Starts the process again with the same command, environment, log and (for the shared JVM) plan. */
    @FunctionalInterface
    interface Starter {
        Process start() throws IOException;
    }

    private final ServiceSpec spec;
    private final Starter starter;
    private volatile Process process;
    private final Path log;
    private final AotCache aot;
    private final List<String> jvmOptions;

    private ServiceProcess(ServiceSpec spec, Starter starter, Process process, Path log, AotCache aot,
                           List<String> jvmOptions) {
        this.spec = spec;
        this.starter = starter;
        this.process = process;
        this.log = log;
        this.aot = aot;
        this.jvmOptions = jvmOptions;
    }

    static ServiceProcess start(ServiceSpec spec, Map<String, String> environment, Path logDirectory)
            throws IOException {
        return start(spec, environment, logDirectory, AotCache.none(spec));
    }

    /** Starts the service from {@code aot}'s jar with its cache options, in a session of its own. */
    static ServiceProcess start(ServiceSpec spec, Map<String, String> environment, Path logDirectory, AotCache aot)
            throws IOException {
        List<String> jvmOptions = options(java(), spec);
        List<String> command = new ArrayList<>(jvmOptions);
        command.addAll(aot.options());
        command.addAll(List.of("-jar", aot.jar().toString()));
        Path log = logDirectory.resolve(spec.name() + ".log");
        ProcessBuilder builder = new ProcessBuilder(OwnSession.command(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        return new ServiceProcess(spec, builder::start, builder.start(), log, aot, jvmOptions);
    }

    /**
     * Starts the shared JVM ({@link SharedJvm}): {@code host} from {@code aot}'s jar, in a session of its own, with
     * {@code plan} on its standard input. Returns one entry per hosted service, all with the host's process, each
     * awaited on its own port and showing its own log; the first carries the host's AOT cache.
     */
    static List<ServiceProcess> startShared(ServiceSpec host, List<ServiceSpec> hosted, Properties plan,
                                            Map<String, String> environment, Path logDirectory, AotCache aot)
            throws IOException {
        List<String> jvmOptions = options(java(), host);
        List<String> command = new ArrayList<>(jvmOptions);
        command.addAll(aot.options());
        command.addAll(List.of("-jar", aot.jar().toString()));
        ProcessBuilder builder = new ProcessBuilder(OwnSession.command(command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDirectory.resolve(host.name() + ".log").toFile()));
        builder.environment().putAll(environment);
        Starter starter = () -> {
            Process process = builder.start();
            // the plan holds the services' secrets: it goes through the pipe, never into a file
            try (OutputStream in = process.getOutputStream()) {
                plan.store(in, null);
            }
            return process;
        };
        Process process = starter.start();
        List<ServiceProcess> services = new ArrayList<>();
        for (ServiceSpec spec : hosted) {
            services.add(new ServiceProcess(spec, starter, process, logDirectory.resolve(spec.name() + ".log"),
                    services.isEmpty() ? aot : AotCache.none(spec), jvmOptions));
        }
        return services;
    }

    String name() {
        return spec.name();
    }

    Process process() {
        return process;
    }

    /** Starts the service's process again, as it was first started; returns the new process. */
    Process restart() throws IOException {
        process = starter.start();
        return process;
    }

    /** Takes the process another entry started again (the services of the shared JVM share one). */
    void replace(Process restarted) {
        process = restarted;
    }

    /** The JVM the services run on: the launcher's own. */
    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The command line of a service up to its jar: {@link #command} without {@code -jar <jar>}. */
    static List<String> options(String java, ServiceSpec spec) {
        List<String> command = command(java, spec, ServiceSpec.options(System.getenv("QNSP_SERVICE_JAVA_OPTS")));
        return command.subList(0, command.size() - 2);
    }

    /**
     * The command line of a service: the launcher's defaults (small stacks and heap, the C1 compiler only, for a
     * quick start), then the service's own options, then the options every service is given
     * ({@code QNSP_SERVICE_JAVA_OPTS}); a later option wins. The serial collector is the default only while neither
     * the service's nor the global options choose another one, since the JVM refuses two collectors.
     */
    static List<String> command(String java, ServiceSpec spec, List<String> globalOptions) {
        List<String> command = new ArrayList<>(List.of(java, "-Xss512k", "-XX:TieredStopAtLevel=1", "-Xmx384m"));
        if (Stream.concat(spec.javaOptions().stream(), globalOptions.stream())
                .noneMatch(ServiceProcess::choosesCollector)) {
            command.add("-XX:+UseSerialGC");
        }
        command.addAll(spec.javaOptions());
        command.addAll(globalOptions);
        command.addAll(List.of("-jar", spec.jar().toString()));
        return command;
    }

    private static boolean choosesCollector(String option) {
        return option.matches("-XX:\\+Use\\w+GC");
    }

    /**
     * Waits until every service answers its readiness probe, saying so for each as it does. Fails as soon as one
     * exits, or when none has become ready for {@code patience} (each service gets that long after the one before
     * it, as when they were awaited one by one), naming the service and showing the end of its log.
     */
    static void awaitReady(List<ServiceProcess> services, Duration patience) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<ServiceProcess> waiting = new ArrayList<>(services);
        Instant started = Instant.now();
        Instant deadline = started.plus(patience);
        while (true) {
            for (Iterator<ServiceProcess> it = waiting.iterator(); it.hasNext(); ) {
                ServiceProcess service = it.next();
                if (!service.process.isAlive()) {
                    throw LaunchFailure.withLog(service.spec.name() + " exited with status "
                            + service.process.exitValue() + " before it was ready.", service.log);
                }
                if (service.isReady(client)) {
                    System.out.println("  " + service.spec.name() + " is ready");
                    it.remove();
                    deadline = Instant.now().plus(patience);
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                ServiceProcess first = waiting.getFirst();
                String others = waiting.size() == 1 ? "" : " (nor were " + String.join(", ",
                        waiting.subList(1, waiting.size()).stream().map(s -> s.spec.name()).toList()) + ")";
                throw LaunchFailure.withLog(first.spec.name() + " was not ready after "
                        + Duration.between(started, Instant.now()).toSeconds() + " s" + others + ".", first.log);
            }
            Thread.sleep(500);
        }
    }

    private boolean isReady(HttpClient client) throws InterruptedException {
        URI readiness = URI.create("http://localhost:" + spec.port() + "/actuator/health/readiness");
        try {
            return client.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYetListening) {
            return false;
        }
    }

    boolean training() {
        return aot.training();
    }

    /**
     * Assembles the AOT caches of the services that ran as training runs (once they have stopped), {@code parallel}
     * at a time. Returns how many were written.
     */
    static int writeAotCaches(List<ServiceProcess> services, int parallel) throws InterruptedException {
        AtomicInteger written = new AtomicInteger();
        try (ExecutorService executor = Executors.newFixedThreadPool(Math.max(1, parallel))) {
            for (ServiceProcess service : services) {
                if (service.aot.training() && !service.process.isAlive()) {
                    executor.submit(() -> {
                        try {
                            if (service.aot.create(service.jvmOptions, service.log)) {
                                written.incrementAndGet();
                            }
                        } catch (IOException | InterruptedException e) {
                            System.err.println("could not write the AOT cache of " + service.spec.name() + ": "
                                    + e.getMessage());
                        }
                    });
                }
            }
        }
        return written.get();
    }

    /**
     * Stops every service at once (SIGTERM: Spring's graceful shutdown, relays and log buffers flushing), then waits
     * for each; one still running after {@code grace} is killed ({@code graceWhileTraining} for a service that
     * records its AOT configuration as it stops). Returns once none is running.
     */
    static void stopAll(List<ServiceProcess> services, Duration grace, Duration graceWhileTraining) {
        for (ServiceProcess service : services) {
            if (service.process.isAlive()) {
                service.process.destroy();
            }
        }
        Instant stopping = Instant.now();
        for (ServiceProcess service : services) {
            service.awaitExit(stopping.plus(service.aot.training() ? graceWhileTraining : grace));
        }
    }

    private void awaitExit(Instant deadline) {
        try {
            if (!process.waitFor(Math.max(0, Duration.between(Instant.now(), deadline).toMillis()),
                    TimeUnit.MILLISECONDS)) {
                System.err.println(spec.name() + " did not stop in time; killing it");
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                aot.discardUnfinished();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
