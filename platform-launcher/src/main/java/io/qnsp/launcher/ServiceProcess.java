package io.qnsp.launcher;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A running service process: started from its jar, awaited until ready, stopped gracefully. */
final class ServiceProcess {

    private final ServiceSpec spec;
    private final Process process;
    private final Path log;

    private ServiceProcess(ServiceSpec spec, Process process, Path log) {
        this.spec = spec;
        this.process = process;
        this.log = log;
    }

    static ServiceProcess start(ServiceSpec spec, Map<String, String> environment, Path logDirectory)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = command(java, spec, ServiceSpec.options(System.getenv("QNSP_SERVICE_JAVA_OPTS")));
        Path log = logDirectory.resolve(spec.name() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        return new ServiceProcess(spec, builder.start(), log);
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

    void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
