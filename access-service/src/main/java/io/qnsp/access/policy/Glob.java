package io.qnsp.access.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A name pattern where {@code *} stands for any run of characters (none included) and every other character for
 * itself, case-sensitively: {@code reports/*}, {@code s3:Get*}, {@code *}. Matched without regular expressions, so a
 * tenant's pattern can never be made to backtrack.
 */
public final class Glob {

    private final String pattern;
    private final String[] parts;
    private final boolean any;
    private final boolean literal;

    private Glob(String pattern, boolean exact) {
        this.pattern = pattern;
        this.any = !exact && pattern.equals("*");
        this.literal = exact || pattern.indexOf('*') < 0;
        List<String> split = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= pattern.length(); i++) {
            if (i == pattern.length() || pattern.charAt(i) == '*') {
                split.add(pattern.substring(start, i));
                start = i + 1;
            }
        }
        this.parts = split.toArray(String[]::new);
    }

    public static Glob of(String pattern) {
        return new Glob(pattern, false);
    }

    /** A pattern matching exactly the value given, even one holding {@code *}. */
    public static Glob exact(String value) {
        return new Glob(value, true);
    }

    /** Whether the pattern names exactly one value (it has no {@code *}). */
    public boolean isLiteral() {
        return literal;
    }

    /** Whether the pattern is {@code *} alone. */
    public boolean isAny() {
        return any;
    }

    public boolean matches(String value) {
        if (any) {
            return true;
        }
        if (literal) {
            return pattern.equals(value);
        }
        // parts[0] is a prefix, the last part a suffix, the ones between appear in order
        String first = parts[0];
        String last = parts[parts.length - 1];
        if (value.length() < first.length() + last.length() || !value.startsWith(first) || !value.endsWith(last)) {
            return false;
        }
        int position = first.length();
        int end = value.length() - last.length();
        for (int i = 1; i < parts.length - 1; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            int found = value.indexOf(parts[i], position);
            if (found < 0 || found + parts[i].length() > end) {
                return false;
            }
            position = found + parts[i].length();
        }
        return true;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
