package io.qnsp.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A stand-in for the services behind the gateway: answers every request 200 with a small JSON body and records what
 * reached it, headers included, so tests can see what the gateway forwarded.
 */
public final class TestBackend {

    /** One request as the backend received it; header names lower case. */
    public record Received(String method, String path, Map<String, List<String>> headers) {

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        public boolean has(String name) {
            return headers.containsKey(name.toLowerCase(Locale.ROOT));
        }
    }

    private static TestBackend shared;

    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final HttpServer server;

    private TestBackend() {
        this.server = TestHttpServers.start(0, server -> server.createContext("/", this::answer));
    }

    public static synchronized TestBackend shared() {
        if (shared == null) {
            shared = new TestBackend();
        }
        return shared;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Everything received with this path (and query), oldest first. */
    public List<Received> received(String pathAndQuery) {
        return received.stream().filter(request -> request.path().equals(pathAndQuery)).toList();
    }

    public Received last(String pathAndQuery) {
        List<Received> matching = received(pathAndQuery);
        return matching.isEmpty() ? null : matching.getLast();
    }

    private void answer(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                List.copyOf(values)));
        String path = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        exchange.getRequestBody().readAllBytes();
        received.add(new Received(exchange.getRequestMethod(), path, headers));
        TestHttpServers.json(exchange, 200, "{\"ok\":true}");
    }
}
