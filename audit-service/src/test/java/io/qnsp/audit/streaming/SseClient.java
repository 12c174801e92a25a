package io.qnsp.audit.streaming;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Server-Sent Events client for tests over {@link HttpClient}: reads the stream line by line on a thread of its
 * own and hands out complete events; closing it drops the connection as a client going away would.
 */
final class SseClient implements AutoCloseable {

    /** One event as received: its {@code id:}, {@code event:} and (joined) {@code data:} lines. */
    record Event(String id, String name, String data) {
    }

    private final HttpClient http;
    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final List<String> commentLines = new ArrayList<>();
    private volatile String errorBody;

    private SseClient(HttpClient http, HttpResponse<InputStream> response) {
        this.http = http;
        this.response = response;
        if (response.statusCode() == 200) {
            Thread.ofVirtual().name("test-sse-reader").start(this::read);
        } else {
            try (InputStream body = response.body()) {
                errorBody = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                errorBody = "";
            }
        }
    }

    /**
     * Opens {@code /v1/streaming/events} with the token (none when {@code null}), the query (may be empty) and the
     * {@code Last-Event-ID} header (none when {@code null}).
     */
    static SseClient connect(int port, String token, String query, String lastEventId) {
        return connect(port, token, query, lastEventId, "text/event-stream");
    }

    /** As {@link #connect(int, String, String, String)}, with the given {@code Accept} header. */
    static SseClient connect(int port, String token, String query, String lastEventId, String accept) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/streaming/events" + (query.isEmpty() ? "" : "?" + query)))
                .header("Accept", accept)
                .GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return new SseClient(http, http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new AssertionError("could not connect", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = null;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    synchronized (commentLines) {
                        commentLines.add(line);
                    }
                    comments.incrementAndGet();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    String part = line.substring(5);
                    part = part.startsWith(" ") ? part.substring(1) : part;
                    data = data == null ? new StringBuilder(part) : data.append('\n').append(part);
                }
            }
        } catch (IOException e) {
            // the stream ended or was closed
        }
    }

    int status() {
        return response.statusCode();
    }

    String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The body of a refused request. */
    String errorBody() {
        return errorBody;
    }

    int comments() {
        return comments.get();
    }

    List<String> commentLines() {
        synchronized (commentLines) {
            return List.copyOf(commentLines);
        }
    }

    /** The next event; fails when none comes within the timeout. */
    Event next(Duration timeout) {
        Event event = poll(timeout);
        if (event == null) {
            throw new AssertionError("no SSE event within " + timeout);
        }
        return event;
    }

    /** The next event, or {@code null} when none comes within the timeout. */
    Event poll(Duration timeout) {
        try {
            return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // closing anyway
        }
        http.shutdownNow();
    }
}
