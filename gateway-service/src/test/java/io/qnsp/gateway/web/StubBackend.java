package io.qnsp.gateway.web;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A backend service on a loopback port whose behaviour the test controls and whose received requests it inspects.
 * Paths ending in {@code /slow} answer only after {@link #SLOW_MILLIS}; {@code /actuator/health/readiness} answers
 * the status set by {@link #readiness(int)}; {@code /v3/api-docs} answers a small OpenAPI document (or the one set
 * by {@link #apiDocument(String)}); every other
 * path answers 200 with JSON naming the method and path, echoing {@code X-Request-Id} as real services do; paths
 * ending in {@code /own-headers} also carry headers the gateway writes too ({@code X-RateLimit-*},
 * {@code Cache-Control}, {@code X-Frame-Options}), as a service may.
 */
public final class StubBackend implements AutoCloseable {

    public static final long SLOW_MILLIS = 10_000;

    /** One request as the backend received it. */
    public record Received(String method, String path, Headers headers, byte[] body) {

        public String header(String name) {
            return headers.getFirst(name);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon(true).name("stub-backend-", 0).factory());
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int readinessStatus = 200;
    private volatile String apiDocument = """
            {"openapi":"3.1.0","info":{"title":"stub","version":"v1"},
             "servers":[{"url":"http://localhost:8081","description":"Generated server url"}],
             "paths":{"/stub/v1/things":{"get":{"responses":{"200":{"description":"OK"}}}}}}""";

    private StubBackend() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static StubBackend start() {
        return new StubBackend();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The requests received so far, oldest first. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The last request received for the path; fails when there is none. */
    public Received last(String path) {
        return received.reversed().stream().filter(r -> r.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("the backend received no request for " + path));
    }

    public void readiness(int status) {
        this.readinessStatus = status;
    }

    /** What {@code /v3/api-docs} answers from now on. */
    public StubBackend apiDocument(String json) {
        this.apiDocument = json;
        return this;
    }

    /** A loopback URL nothing listens on: connections are refused at once. */
    public static String refusingUrl() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String path = exchange.getRequestURI().getRawPath();
        received.add(new Received(exchange.getRequestMethod(), path, exchange.getRequestHeaders(), body));
        String requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
        if (requestId != null) {
            exchange.getResponseHeaders().set("X-Request-Id", requestId);
        }
        if (path.endsWith("/own-headers")) {
            exchange.getResponseHeaders().set("X-RateLimit-Limit", "999");
            exchange.getResponseHeaders().set("X-RateLimit-Remaining", "998");
            exchange.getResponseHeaders().set("Cache-Control", "private, max-age=60");
            exchange.getResponseHeaders().set("X-Frame-Options", "SAMEORIGIN");
        }
        if (path.endsWith("/slow")) {
            try {
                Thread.sleep(SLOW_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "{\"slow\":true}");
        } else if (path.equals("/actuator/health/readiness")) {
            respond(exchange, readinessStatus, readinessStatus == 200 ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
        } else if (path.equals("/v3/api-docs")) {
            respond(exchange, 200, apiDocument);
        } else {
            respond(exchange, 200, "{\"method\":\"" + exchange.getRequestMethod() + "\",\"path\":\"" + path
                    + "\",\"bytes\":" + body.length + "}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
