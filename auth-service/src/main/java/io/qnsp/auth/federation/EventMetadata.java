package io.qnsp.auth.federation;

import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The metadata of an event as it is stored: bounded in size and depth, and with the values of keys that name
 * credentials (passwords, tokens, secrets, cookies…) replaced, so an identity provider's payload copied verbatim
 * never puts a secret into the audit store.
 */
final class EventMetadata {

    static final String REDACTED = "[redacted]";
    static final int MAX_DEPTH = 8;

    /** Key names compared in lower case without separators, so {@code access_token}, {@code accessToken} match. */
    private static final Set<String> SECRET_KEYS = Set.of("password", "passwd", "pwd", "passphrase", "secret",
            "clientsecret", "token", "accesstoken", "refreshtoken", "idtoken", "sessiontoken", "bearertoken",
            "authorization", "proxyauthorization", "cookie", "setcookie", "apikey", "xapikey", "privatekey",
            "credential", "credentials", "samlresponse", "samlassertion", "assertion", "otp", "totp", "pin",
            "authcode", "authorizationcode", "codeverifier");

    private final JsonMapper json;
    private final long maxBytes;

    EventMetadata(JsonMapper json, long maxBytes) {
        this.json = json;
        this.maxBytes = maxBytes;
    }

    /** The stored JSON of the metadata ({@code {}} for none); {@link MetadataTooLarge} beyond the limits. */
    String toStoredJson(Map<String, Object> metadata) {
        if (metadata == null) {
            return "{}";
        }
        Object redacted = redact(metadata, 1);
        String stored = json.writeValueAsString(redacted);
        long size = stored.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBytes) {
            throw new MetadataTooLarge("must be at most " + maxBytes + " bytes of JSON",
                    Map.of("maxBytes", maxBytes, "actualBytes", size));
        }
        return stored;
    }

    private Object redact(Object value, int depth) {
        if (value instanceof Map<?, ?> map) {
            checkDepth(depth);
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                copy.put(key, isSecret(key) && entry.getValue() != null ? REDACTED : redact(entry.getValue(), depth + 1));
            }
            return copy;
        }
        if (value instanceof List<?> list) {
            checkDepth(depth);
            List<Object> copy = new ArrayList<>(list.size());
            for (Object item : list) {
                copy.add(redact(item, depth + 1));
            }
            return copy;
        }
        return value;
    }

    private static void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new MetadataTooLarge("must not nest objects or arrays more than " + MAX_DEPTH + " levels deep",
                    Map.of("maxDepth", MAX_DEPTH));
        }
    }

    static boolean isSecret(String key) {
        StringBuilder normalized = new StringBuilder(key.length());
        for (char c : key.toLowerCase(Locale.ROOT).toCharArray()) {
            if (c != '_' && c != '-' && c != '.' && c != ' ') {
                normalized.append(c);
            }
        }
        return SECRET_KEYS.contains(normalized.toString());
    }
}
