package io.qnsp.audit.streaming;

import java.util.Locale;
import java.util.Optional;

/** An active subscription gets deliveries queued for its events; a paused one gets none until resumed. */
public enum SubscriptionStatus {
    ACTIVE, PAUSED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<SubscriptionStatus> parse(String text) {
        for (SubscriptionStatus status : values()) {
            if (status.label().equals(text)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
