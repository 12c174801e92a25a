package io.qnsp.ratelimit.check.web;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** One TCP connection speaking HTTP/1.1 byte for byte, for what an HTTP client library hides or refuses to send. */
final class RawHttpConnection implements AutoCloseable {

    /** An answer as it came over the wire; header names in lower case. */
    record Response(int status, Map<String, String> headers, String body) {

        JsonNode json() {
            return JsonMapper.shared().readTree(body);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttpConnection(int port) throws IOException {
        socket = new Socket("localhost", port);
        // a bound on a hung test, not an expectation of how fast anything is
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** A complete {@code POST /v1/check} with a JSON body and the given extra header lines. */
    static String check(String json, String... headerLines) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder("POST /v1/check HTTP/1.1\r\nHost: localhost\r\n")
                .append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        return request.append("\r\n").append(json).toString();
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one answer (status line, headers, a body of {@code Content-Length} bytes). */
    Response read() throws IOException {
        return read(true);
    }

    /** Reads the answer to a HEAD request: status line and headers, no body whatever its length says. */
    Response readHead() throws IOException {
        return read(false);
    }

    private Response read(boolean withBody) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("the server closed the connection without an answer");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); line != null && !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        int length = withBody ? Integer.parseInt(headers.getOrDefault("content-length", "0")) : 0;
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new IOException("the body ended after " + body.length + " of " + length + " bytes");
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** Whether the server has closed its side: the next read finds the end of the stream (or a reset). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
