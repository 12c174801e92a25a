package io.qnsp.vault.leak.detect;

/**
 * The only form of a detected value that is kept or shown: at most its first four characters (fewer for a short
 * value: a quarter of its length), an ellipsis and its length, e.g. {@code AKIA…(20)}.
 */
public final class Masks {

    private Masks() {
    }

    public static String of(String value) {
        int shown = Math.min(4, value.length() / 4);
        return value.substring(0, shown) + "…(" + value.length() + ")";
    }
}
