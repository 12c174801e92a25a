package io.qnsp.audit.delivery;

import java.util.Locale;

/** Where a delivery stands: waiting for its (next) attempt, delivered, or given up after its last attempt. */
public enum DeliveryStatus {
    PENDING, SUCCESS, FAILED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DeliveryStatus of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
