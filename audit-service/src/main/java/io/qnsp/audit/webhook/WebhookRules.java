package io.qnsp.audit.webhook;

import io.qnsp.audit.delivery.WebhookDestination;
import io.qnsp.audit.delivery.WebhookSignature;
import io.qnsp.audit.delivery.WebhookUrlPolicy;
import io.qnsp.common.error.InvalidField;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a webhook's fields follow. Each check reports what is wrong to a {@link InvalidField.Problems},
 * so one answer names every broken rule, and returns the normalized value.
 */
@Component
class WebhookRules {

    static final int MAX_NAME = 100;
    static final int MAX_HEADERS = 20;
    static final int MAX_HEADER_NAME = 100;
    static final int MAX_HEADER_VALUE = 1000;

    /** An HTTP header name: an RFC 9110 token. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final WebhookUrlPolicy urls;

    WebhookRules(WebhookUrlPolicy urls) {
        this.urls = urls;
    }

    /** The name, stripped: 1 to 100 characters without control characters. */
    String name(String name, boolean required, InvalidField.Problems problems) {
        if (name == null) {
            if (required) {
                problems.add("name", "is required");
            }
            return null;
        }
        String stripped = name.strip();
        int length = stripped.codePointCount(0, stripped.length());
        if (length < 1 || length > MAX_NAME) {
            problems.add("name", "must be between 1 and " + MAX_NAME + " characters");
        } else if (stripped.codePoints().anyMatch(Character::isISOControl)) {
            problems.add("name", "must not contain control characters");
        }
        return stripped;
    }

    /** The URL as it will be stored, by the delivery URL policy (no internal targets unless configured). */
    String url(String url, boolean required, InvalidField.Problems problems) {
        if (url == null && !required) {
            return null;
        }
        try {
            return urls.validate("url", url).toString();
        } catch (InvalidField invalid) {
            problems.addAll(invalid);
            return null;
        }
    }

    /** The events, each once, in the caller's order. */
    List<String> events(List<String> events, boolean required, InvalidField.Problems problems) {
        if (events == null) {
            if (required) {
                problems.add("events", "is required");
            }
            return null;
        }
        if (events.isEmpty()) {
            problems.add("events", "must contain at least one event");
            return List.of();
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        boolean unknown = false;
        for (int i = 0; i < events.size(); i++) {
            String event = events.get(i);
            if (event == null) {
                problems.add("events[" + i + "]", "must not be null");
            } else if (!WebhookEvents.isSubscribable(event)) {
                problems.add("events[" + i + "]", "is not a known event");
                unknown = true;
            } else {
                distinct.add(event);
            }
        }
        if (unknown) {
            List<String> allowed = new ArrayList<>(WebhookEvents.CATALOGUE);
            allowed.add(WebhookEvents.ALL);
            problems.detail("allowedEvents", allowed);
        }
        return List.copyOf(distinct);
    }

    /** A secret the caller chose: the Standard Webhooks form. The message never repeats it. */
    String secret(String secret, InvalidField.Problems problems) {
        if (secret == null) {
            return null;
        }
        if (!WebhookSignature.isValidSecret(secret)) {
            problems.add("secret", "must be " + WebhookSignature.SECRET_PREFIX + " followed by the base64 of "
                    + WebhookSignature.MIN_KEY_BYTES + " to " + WebhookSignature.MAX_KEY_BYTES + " bytes");
        }
        return secret;
    }

    /** The extra headers: tokens for names, printable ASCII values without line breaks, none the platform sets. */
    Map<String, String> headers(Map<String, String> headers, InvalidField.Problems problems) {
        if (headers == null) {
            return null;
        }
        if (headers.size() > MAX_HEADERS) {
            problems.add("headers", "must have at most " + MAX_HEADERS + " entries");
            return Map.of();
        }
        Map<String, String> valid = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            String value = header.getValue();
            String field = "headers." + name;
            if (name.isEmpty() || name.length() > MAX_HEADER_NAME || !HEADER_NAME.matcher(name).matches()) {
                problems.add(field, "must be a header name of 1 to " + MAX_HEADER_NAME
                        + " letters, digits or !#$%&'*+.^_`|~- characters");
            } else if (WebhookDestination.isReservedHeader(name)) {
                problems.add(field, "is set by the platform and cannot be configured");
            } else if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                problems.add(field, "is given twice (header names ignore letter case)");
            } else if (value == null) {
                problems.add(field, "must not be null");
            } else if (value.length() > MAX_HEADER_VALUE) {
                problems.add(field, "must be at most " + MAX_HEADER_VALUE + " characters");
            } else if (value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
                problems.add(field, "must not contain line breaks");
            } else if (value.chars().anyMatch(c -> c != '\t' && (c < 0x20 || c > 0x7e))) {
                // HTTP clients refuse other characters in header values
                problems.add(field, "must contain only printable ASCII characters");
            } else {
                valid.put(name, value.strip());
            }
        }
        return valid;
    }
}
