package io.qnsp.kpi.idempotency;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * What makes two requests "the same request" for an idempotency key: SHA-256 over the method, the path, the query
 * parameters in sorted order and the body. A JSON body counts as its value, so key order and white space do not
 * matter; any other body counts byte for byte.
 */
final class RequestFingerprint {

    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private RequestFingerprint() {
    }

    static byte[] of(String method, String path, String query, byte[] body) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
        digest.update(part(method));
        digest.update(part(path));
        digest.update(part(sortedQuery(query)));
        digest.update(canonicalBody(body));
        return digest.digest();
    }

    private static byte[] part(String text) {
        // a separator that cannot occur in a method, a path or a query string keeps the parts apart
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static String sortedQuery(String query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        String[] parameters = query.split("&");
        Arrays.sort(parameters);
        return String.join("&", parameters);
    }

    static byte[] canonicalBody(byte[] body) {
        if (body.length == 0) {
            return body;
        }
        try {
            Object value = CANONICAL.readValue(body, Object.class);
            return ("json:" + CANONICAL.writeValueAsString(value)).getBytes(StandardCharsets.UTF_8);
        } catch (JacksonException notJson) {
            byte[] raw = new byte[body.length + 4];
            System.arraycopy("raw:".getBytes(StandardCharsets.US_ASCII), 0, raw, 0, 4);
            System.arraycopy(body, 0, raw, 4, body.length);
            return raw;
        }
    }
}
