package io.qnsp.test.contract;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP exchange as the service under test saw it: what came in and what went out.
 *
 * @param method          the request method
 * @param path            the request path within the application, as sent (not decoded)
 * @param query           the raw query string, {@code null} without one
 * @param requestHeaders  request headers by name
 * @param requestBody     the request body as far as the service read it
 * @param status          the response status
 * @param responseHeaders response headers by name
 * @param responseBody    the response body (its first bytes, for a long one)
 * @param truncated       whether the response body was longer than what was kept
 * @param streamed        whether the response was a stream still being written after the handler returned (SSE)
 */
public record RecordedExchange(String method, String path, String query, Map<String, List<String>> requestHeaders,
                               byte[] requestBody, int status, Map<String, List<String>> responseHeaders,
                               byte[] responseBody, boolean truncated, boolean streamed) {

    public RecordedExchange {
        requestHeaders = lowerCase(requestHeaders);
        responseHeaders = lowerCase(responseHeaders);
        requestBody = requestBody == null ? new byte[0] : requestBody;
        responseBody = responseBody == null ? new byte[0] : responseBody;
    }

    public String header(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    public String responseContentType() {
        return header(responseHeaders, "content-type");
    }

    public String requestContentType() {
        return header(requestHeaders, "content-type");
    }

    /** How a failure message names the exchange. */
    public String describe() {
        return method + " " + path + (query == null ? "" : "?" + query) + " -> " + status;
    }

    /** The start of the response body for a failure message. */
    public String responseExcerpt() {
        String text = new String(responseBody, StandardCharsets.UTF_8);
        return text.length() > 600 ? text.substring(0, 600) + "…" : text;
    }

    private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
        if (headers == null) {
            return Map.of();
        }
        java.util.LinkedHashMap<String, List<String>> copy = new java.util.LinkedHashMap<>();
        headers.forEach((name, values) -> copy.computeIfAbsent(name.toLowerCase(Locale.ROOT),
                key -> new java.util.ArrayList<>()).addAll(values));
        return copy;
    }
}
