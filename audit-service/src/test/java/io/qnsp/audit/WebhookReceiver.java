package io.qnsp.audit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.qnsp.audit.delivery.WebhookSignature;
import io.qnsp.test.infra.StubHttpServers;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook endpoint on loopback for tests: answers with scripted statuses (then 200), and records every request
 * with whether its Standard Webhooks signature verified against the secret it was told.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request the receiver got. */
    public record Received(String webhookId, String timestamp, String signature, String body, Headers headers,
                           boolean verified, int answeredStatus) {

        public String header(String name) {
            return headers.getFirst(name);
        }
    }

    private final HttpServer server;
    private final Deque<Integer> script = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile String secret;

    private WebhookReceiver(String secret) {
        this.secret = secret;
        this.server = StubHttpServers.start(0, http -> http.createContext("/hook", exchange -> {
            String body = StubHttpServers.body(exchange);
            Headers headers = exchange.getRequestHeaders();
            String id = headers.getFirst("webhook-id");
            String timestamp = headers.getFirst("webhook-timestamp");
            String signature = headers.getFirst("webhook-signature");
            boolean verified = this.secret != null && WebhookSignature.verify(this.secret, id, timestamp, signature,
                    body, Instant.now(), Duration.ofMinutes(5));
            int status;
            synchronized (script) {
                status = script.isEmpty() ? 200 : script.poll();
            }
            received.add(new Received(id, timestamp, signature, body, headers, verified, status));
            StubHttpServers.json(exchange, status, "{}");
        }));
    }

    /** A receiver verifying signatures with {@code secret} ({@code null}: learn it later with {@link #secret}). */
    public static WebhookReceiver start(String secret) {
        return new WebhookReceiver(secret);
    }

    public void secret(String secret) {
        this.secret = secret;
    }

    /** The next requests are answered with these statuses, in order; later ones with 200. */
    public WebhookReceiver answer(Integer... statuses) {
        synchronized (script) {
            script.addAll(List.of(statuses));
        }
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits until at least {@code count} requests arrived; fails after {@code timeout}. */
    public List<Received> await(int count, Duration timeout) {
        Awaitility.await(count + " webhook requests").atMost(timeout).pollInterval(Duration.ofMillis(20))
                .until(() -> received.size() >= count);
        return received();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
