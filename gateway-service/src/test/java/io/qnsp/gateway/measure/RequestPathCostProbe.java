package io.qnsp.gateway.measure;

import io.qnsp.gateway.TestAuthService;
import io.qnsp.gateway.TestIdentity;
import io.qnsp.gateway.web.StubBackend;
import io.qnsp.test.infra.TestRedis;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Hooks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test: a measurement of what one proxied request with a cached API key costs the gateway (Reactor operators
 * assembled, bytes allocated on the gateway's event-loop threads as JFR samples them), run by hand with
 * {@code -Dtest=RequestPathCostProbe -Dqnsp.probe=true}. Its class name keeps it out of the normal test run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.io.qnsp.access=WARN"})
@EnabledIfSystemProperty(named = "qnsp.probe", matches = "true")
class RequestPathCostProbe {

    private static final StubBackend backend = StubBackend.start();
    private static final int WARMUP = 3000;
    private static final int MEASURED = 3000;

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        TestIdentity.properties(registry, TestRedis.shared(), backend);
        registry.add("qnsp.gateway.rate-limit.tenant-default.requests-per-minute", () -> "100000000");
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @LocalServerPort
    int port;

    @Test
    void measure() throws Exception {
        TestAuthService.TestKey key = TestAuthService.shared().newKey("tenant-probe", 100_000_000, 100_000_000,
                100_000_000);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/kms/v1/things"))
                .header("X-API-Key", key.value()).build();
        for (int i = 0; i < WARMUP; i++) {
            assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        AtomicLong operators = new AtomicLong();
        Hooks.onEachOperator("probe", publisher -> {
            operators.incrementAndGet();
            return publisher;
        });
        Path file = Files.createTempFile("gateway-probe", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ObjectAllocationSample").with("throttle", "off");
            recording.start();
            for (int i = 0; i < MEASURED; i++) {
                http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            recording.stop();
            recording.dump(file);
        } finally {
            Hooks.resetOnEachOperator("probe");
        }
        long bytes = 0;
        Map<String, Long> byType = new TreeMap<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String thread = event.getThread("eventThread") == null ? "" : event.getThread("eventThread").getJavaName();
            if (thread == null || !thread.startsWith("reactor-http")) {
                continue;
            }
            long weight = event.getLong("weight");
            bytes += weight;
            byType.merge(event.getClass("objectClass").getName(), weight, Long::sum);
        }
        System.out.printf("PROBE operators assembled per request: %.1f%n", operators.get() / (double) MEASURED);
        System.out.printf("PROBE bytes allocated per request on reactor-http threads: %d%n", bytes / MEASURED);
        byType.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(25)
                .forEach(e -> System.out.printf("PROBE   %-90s %8d%n", e.getKey(), e.getValue() / MEASURED));
    }
}
