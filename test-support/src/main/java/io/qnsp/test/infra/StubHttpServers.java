package io.qnsp.test.infra;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/** Stub HTTP servers for tests: loopback JDK servers on daemon threads, JSON answers. */
public final class StubHttpServers {

    private StubHttpServers() {
    }

    /** A server on {@code port} (0: any free one), started; retried briefly when the port is still being released. */
    public static HttpServer start(int port, java.util.function.Consumer<HttpServer> contexts) {
        for (int attempt = 0; ; attempt++) {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
                contexts.accept(server);
                server.setExecutor(Executors.newFixedThreadPool(4, runnable -> Thread.ofPlatform().daemon()
                        .name("stub-" + server.getAddress().getPort()).unstarted(runnable)));
                startAsDaemon(server);
                return server;
            } catch (BindException stillBound) {
                if (attempt >= 50) {
                    throw new UncheckedIOException(stillBound);
                }
                sleep(100);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The dispatcher thread inherits daemon status from the thread starting it: it must not keep the JVM up. */
    public static void startAsDaemon(HttpServer server) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread starter = Thread.ofPlatform().daemon().start(() -> {
            try {
                server.start();
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
