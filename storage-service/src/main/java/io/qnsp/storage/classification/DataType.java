package io.qnsp.storage.classification;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The kind of sensitive data a rule finds: personal, health, payment card, or the tenant's own. */
public enum DataType {
    PII, PHI, PCI, CUSTOM;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<DataType> of(String text) {
        return Arrays.stream(values()).filter(t -> t.value().equals(text)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(DataType::value).toList();
    }
}
