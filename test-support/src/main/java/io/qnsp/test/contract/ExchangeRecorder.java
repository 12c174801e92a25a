package io.qnsp.test.contract;

import org.springframework.core.env.Environment;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The exchanges one running service instance answered during a test, and their check against the instance's own
 * OpenAPI document (fetched from it once, when there is a first exchange to check). A recording filter in the
 * instance adds to it; the test execution listener, or whoever started the instance, calls {@link #verify}.
 */
public final class ExchangeRecorder {

    /** Framework endpoints that are no part of a service's API, and the web console's static files (gateway). */
    private static final List<PathPattern> NOT_API = List.of("/actuator/**", "/v3/api-docs", "/v3/api-docs/**",
                    "/swagger-ui.html", "/swagger-ui/**", "/webjars/**", "/favicon.ico", "/dashboard",
                    "/dashboard/**").stream()
            .map(PathPatternParser.defaultInstance::parse).toList();
    private static final Duration SETTLE = Duration.ofSeconds(15);
    static final int BODY_LIMIT = 256 * 1024;

    private final String name;
    private final Environment environment;
    private final Queue<RecordedExchange> exchanges = new ConcurrentLinkedQueue<>();
    private final Object settled = new Object();
    private int inFlight;
    private ApiConformance conformance;
    private List<String> documentViolations;
    private boolean documentReported;

    public ExchangeRecorder(String name, Environment environment) {
        this.name = name;
        this.environment = environment;
    }

    /** Whether the recording filters look at a path at all. */
    boolean isApi(String path) {
        PathContainer container;
        try {
            container = PathContainer.parsePath(path);
        } catch (RuntimeException malformed) {
            return true;
        }
        return NOT_API.stream().noneMatch(pattern -> pattern.matches(container));
    }

    /** An exchange begins; until {@link #finished()} a verification waits for it. */
    void started() {
        synchronized (settled) {
            inFlight++;
        }
    }

    void finished() {
        synchronized (settled) {
            inFlight--;
            settled.notifyAll();
        }
    }

    void record(RecordedExchange exchange) {
        exchanges.add(exchange);
    }

    /**
     * Checks every exchange recorded since the last call (after waiting for those still being answered) against the
     * document, and the document itself against {@link ApiDocumentRules} the first time; returns what fails.
     */
    public synchronized List<String> verify() {
        awaitSettled();
        List<RecordedExchange> recorded = new ArrayList<>();
        for (RecordedExchange exchange; (exchange = exchanges.poll()) != null; ) {
            recorded.add(exchange);
        }
        List<String> problems = new ArrayList<>();
        if (recorded.isEmpty()) {
            return problems;
        }
        if (documentViolations == null) {
            String document;
            try {
                document = fetchDocument();
            } catch (IOException | RuntimeException e) {
                problems.add("could not load the OpenAPI document of " + name + " to check " + recorded.size()
                        + " exchanges against: " + e);
                return problems;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return problems;
            }
            documentViolations = new ArrayList<>(ApiDocumentRules.violations(document));
            try {
                conformance = new ApiConformance(document);
            } catch (RuntimeException unloadable) {
                documentViolations.add("the validator cannot load it: " + unloadable.getMessage());
            }
        }
        if (!documentReported && !documentViolations.isEmpty()) {
            documentReported = true;
            problems.add("the OpenAPI document of " + name + " breaks the platform's rules:\n    "
                    + String.join("\n    ", documentViolations));
        }
        if (conformance == null) {
            return problems;
        }
        // the same break provoked many times is one problem, with a count
        Map<String, Integer> violations = new LinkedHashMap<>();
        for (RecordedExchange exchange : recorded) {
            conformance.violations(exchange).forEach(violation -> violations.merge(violation, 1, Integer::sum));
        }
        violations.forEach((violation, times) -> problems.add(times == 1 ? violation : violation + " (" + times
                + " times)"));
        return problems;
    }

    /** Exchanges a test made have reached the service before the test ended, but may not be answered yet. */
    private void awaitSettled() {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        synchronized (settled) {
            long remaining;
            while (inFlight > 0 && (remaining = deadline - System.nanoTime()) > 0) {
                try {
                    settled.wait(Math.max(1, remaining / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private String fetchDocument() throws IOException, InterruptedException {
        String port = environment.getProperty("local.server.port");
        if (port == null) {
            throw new IllegalStateException("the instance runs no web server on a port (local.server.port unset)");
        }
        String path = environment.getProperty("springdoc.api-docs.path", "/v3/api-docs");
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode());
            }
            keep(response.body());
            return response.body();
        }
    }

    /** A copy for whoever looks into a failure, and for client generators run on the build's output. */
    private void keep(String document) {
        String application = environment.getProperty("spring.application.name", "service");
        try {
            Path directory = Files.createDirectories(Path.of("target", "openapi"));
            Files.writeString(directory.resolve(application + ".json"), document);
        } catch (IOException e) {
            // only a convenience; the check itself goes on
        }
    }

    /** A failure message listing what {@link #verify} found. */
    public static String report(String name, List<String> problems) {
        return "The API contract of " + name + " is broken: " + problems.size() + " problem(s)\n  - "
                + String.join("\n  - ", problems);
    }
}
