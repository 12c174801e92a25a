package io.qnsp.audit.events;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** How serious an audit event is; subscriptions filter on it. */
public enum Severity {
    INFO, WARNING, ERROR, CRITICAL;

    /** The lowercase name used in the API and the store. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Severity> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (Severity severity : values()) {
            if (severity.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(severity);
            }
        }
        return Optional.empty();
    }

    /**
     * The publisher's own {@code severity} detail when it names a level; otherwise from the outcome: a denial is a
     * warning, a failure an error, anything else information.
     */
    public static Severity of(String outcome, Map<String, String> details) {
        Optional<Severity> given = parse(details == null ? null : details.get("severity"));
        if (given.isPresent()) {
            return given.get();
        }
        if (outcome == null) {
            return INFO;
        }
        return switch (outcome.toLowerCase(Locale.ROOT)) {
            case "denied" -> WARNING;
            case "failure", "error" -> ERROR;
            default -> INFO;
        };
    }
}
