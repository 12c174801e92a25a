package io.qnsp.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP/1.1 requests a run sends, rendered to bytes before it starts: one per key of the keys file (or a single
 * one without keys), so sending costs no formatting. Request number {@code i} uses key {@code i % keys}.
 */
final class Requests {

    private static final String KEY = "{key}";

    private final InetSocketAddress address;
    private final byte[][] rendered;
    private final boolean head;
    private final boolean closing;

    private Requests(InetSocketAddress address, byte[][] rendered, boolean head, boolean closing) {
        this.address = address;
        this.rendered = rendered;
        this.head = head;
        this.closing = closing;
    }

    static Requests render(LoadSettings settings) throws IOException {
        List<String> headers = new ArrayList<>(settings.headers());
        if (settings.keyHeader() != null) {
            headers.add(settings.keyHeader() + ": " + KEY);
        }
        String template = template(settings, headers);
        List<String> keys = settings.keysFile() == null ? List.of()
                : Files.readAllLines(settings.keysFile()).stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
        boolean usesKeys = template.contains(KEY) || (settings.body() != null && settings.body().contains(KEY));
        if (usesKeys && keys.isEmpty()) {
            throw new IllegalArgumentException("{key} or --key-header needs a non-empty --keys-file");
        }
        byte[][] rendered = usesKeys
                ? keys.stream().map(key -> bytes(template.replace(KEY, key), settings.body(), key)).toArray(byte[][]::new)
                : new byte[][] {bytes(template, settings.body(), null)};
        int port = settings.url().getPort() == -1 ? 80 : settings.url().getPort();
        boolean closing = headers.stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).matches("connection:.*close.*"));
        return new Requests(new InetSocketAddress(settings.url().getHost(), port), rendered,
                "HEAD".equals(settings.method()), closing);
    }

    /** The request line and headers, without Content-Length and the blank line that ends them. */
    private static String template(LoadSettings settings, List<String> headers) {
        var url = settings.url();
        String target = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        var text = new StringBuilder(settings.method()).append(' ').append(target).append(" HTTP/1.1\r\n");
        if (!hasHeader(headers, "host")) {
            text.append("Host: ").append(url.getHost()).append(url.getPort() == -1 ? "" : ":" + url.getPort()).append("\r\n");
        }
        if (settings.body() != null && !hasHeader(headers, "content-type")) {
            text.append("Content-Type: application/json\r\n");
        }
        headers.forEach(header -> text.append(header.strip()).append("\r\n"));
        return text.toString();
    }

    private static boolean hasHeader(List<String> headers, String name) {
        return headers.stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith(name + ":"));
    }

    private static byte[] bytes(String head, String body, String key) {
        if (body == null) {
            return (head + "\r\n").getBytes(StandardCharsets.UTF_8);
        }
        byte[] content = (key == null ? body : body.replace(KEY, key)).getBytes(StandardCharsets.UTF_8);
        byte[] start = (head + "Content-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] request = new byte[start.length + content.length];
        System.arraycopy(start, 0, request, 0, start.length);
        System.arraycopy(content, 0, request, start.length, content.length);
        return request;
    }

    InetSocketAddress address() {
        return address;
    }

    /** Whether the requests are HEAD requests, whose responses have no body whatever their headers say. */
    boolean head() {
        return head;
    }

    /** Whether the requests ask the server to close the connection after its response ({@code Connection: close}). */
    boolean closing() {
        return closing;
    }

    /** The bytes of request number {@code index}. */
    byte[] get(long index) {
        return rendered[(int) (index % rendered.length)];
    }
}
