package io.qnsp.storage.classification;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How sensitive an object is, from least to most; an object's label is the highest any matching rule gives. */
public enum Classification {
    PUBLIC, INTERNAL, CONFIDENTIAL, RESTRICTED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Classification> of(String text) {
        return Arrays.stream(values()).filter(c -> c.value().equals(text)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(Classification::value).toList();
    }
}
