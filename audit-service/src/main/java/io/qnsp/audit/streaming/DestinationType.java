package io.qnsp.audit.streaming;

import java.util.Locale;
import java.util.Optional;

/** Where a subscription pushes its events. */
public enum DestinationType {
    WEBHOOK, KAFKA, SQS;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<DestinationType> parse(String text) {
        for (DestinationType type : values()) {
            if (type.label().equals(text)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
