package io.qnsp.vault.leak.detect;

import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a pattern of each type must be, and why it is refused otherwise (a message for the field that holds it).
 * <ul>
 * <li>{@code regex}: at most {@link #MAX_REGEX} characters, a valid Java regular expression, with no nested
 * quantifier (a repeated group that itself repeats something, such as {@code (a+)+} or {@code (\w+\s?)*}) and no
 * back-reference: the two constructs behind catastrophic backtracking. Matching is also bounded at run time (see
 * {@link Detector}).</li>
 * <li>{@code keyword}: 3 to 64 characters without whitespace or control characters.</li>
 * <li>{@code entropy}: a number from {@link #MIN_ENTROPY} to {@link #MAX_ENTROPY}, bits per character.</li>
 * </ul>
 */
public final class PatternRules {

    public static final int MAX_REGEX = 512;
    public static final double MIN_ENTROPY = 1.0;
    /** The entropy of a token drawn evenly from the 64 characters of the token alphabet is 6 bits per character. */
    public static final double MAX_ENTROPY = 6.0;

    private PatternRules() {
    }

    /** Why the pattern is refused, or {@code null} when it is acceptable. */
    public static @Nullable String problem(PatternType type, String pattern) {
        return switch (type) {
            case REGEX -> regexProblem(pattern);
            case KEYWORD -> pattern.length() < 3 || pattern.length() > 64
                    || pattern.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))
                    ? "must be a keyword of 3 to 64 characters without whitespace" : null;
            case ENTROPY -> entropyProblem(pattern);
        };
    }

    public static double minimumEntropy(String pattern) {
        return Double.parseDouble(pattern.strip());
    }

    private static @Nullable String entropyProblem(String pattern) {
        try {
            double bits = minimumEntropy(pattern);
            if (Double.isNaN(bits) || bits < MIN_ENTROPY || bits > MAX_ENTROPY) {
                return "must be a minimum entropy from " + MIN_ENTROPY + " to " + MAX_ENTROPY + " bits per character";
            }
            return null;
        } catch (NumberFormatException e) {
            return "must be a number of bits per character, e.g. 4.5";
        }
    }

    private static @Nullable String regexProblem(String pattern) {
        if (pattern.isEmpty() || pattern.length() > MAX_REGEX) {
            return "must be a regular expression of 1 to " + MAX_REGEX + " characters";
        }
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            return "is not a valid regular expression: " + e.getDescription();
        }
        return structureProblem(pattern);
    }

    /** A group's frame while scanning the pattern: whether something inside it repeats. */
    private static final class Group {
        boolean repeats;
    }

    private static @Nullable String structureProblem(String pattern) {
        Deque<Group> groups = new ArrayDeque<>();
        groups.push(new Group());
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                if (i + 1 < n) {
                    char next = pattern.charAt(i + 1);
                    if ((next >= '1' && next <= '9') || next == 'k') {
                        return "must not use back-references";
                    }
                    if (next == 'Q') {
                        int end = pattern.indexOf("\\E", i + 2);
                        i = end < 0 ? n : end + 2;
                        i = afterQuantifier(pattern, i, groups.peek());
                        continue;
                    }
                }
                i = afterQuantifier(pattern, i + 2, groups.peek());
            } else if (c == '[') {
                i = afterQuantifier(pattern, endOfClass(pattern, i), groups.peek());
            } else if (c == '(') {
                groups.push(new Group());
                i++;
            } else if (c == ')') {
                Group closed = groups.size() > 1 ? groups.pop() : new Group();
                int after = i + 1;
                int quantifierEnd = quantifierEnd(pattern, after);
                boolean repeated = quantifierEnd > after && repeats(pattern.substring(after, quantifierEnd));
                if (repeated && closed.repeats) {
                    return "must not nest quantifiers (a repeated group that repeats something inside), which "
                            + "can take exponential time to match";
                }
                Group parent = groups.peek();
                parent.repeats |= closed.repeats || repeated;
                i = quantifierEnd > after ? quantifierEnd : after;
            } else {
                i = afterQuantifier(pattern, i + 1, groups.peek());
            }
        }
        return null;
    }

    /** Past the quantifier that follows an atom ending at {@code i}, noting in the group whether it repeats. */
    private static int afterQuantifier(String pattern, int i, Group group) {
        int end = quantifierEnd(pattern, i);
        if (end > i && repeats(pattern.substring(i, end))) {
            group.repeats = true;
        }
        return end;
    }

    private static int quantifierEnd(String pattern, int i) {
        if (i >= pattern.length()) {
            return i;
        }
        char c = pattern.charAt(i);
        int end = i;
        if (c == '*' || c == '+' || c == '?') {
            end = i + 1;
        } else if (c == '{') {
            int close = pattern.indexOf('}', i);
            if (close > i && pattern.substring(i + 1, close).matches("\\d+(,\\d*)?")) {
                end = close + 1;
            }
        }
        // lazy or possessive
        if (end > i && end < pattern.length() && (pattern.charAt(end) == '?' || pattern.charAt(end) == '+')) {
            end++;
        }
        return end;
    }

    private static boolean repeats(String quantifier) {
        char c = quantifier.charAt(0);
        if (c == '*' || c == '+') {
            return true;
        }
        if (c == '{') {
            String bounds = quantifier.substring(1, quantifier.indexOf('}'));
            try {
                if (!bounds.contains(",")) {
                    return Integer.parseInt(bounds) > 1;
                }
                String max = bounds.substring(bounds.indexOf(',') + 1);
                return max.isEmpty() || Integer.parseInt(max) > 1;
            } catch (NumberFormatException tooLarge) {
                return true;
            }
        }
        return false;
    }

    private static int endOfClass(String pattern, int start) {
        int depth = 0;
        int i = start;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '[') {
                depth++;
            } else if (c == ']' && i > start + 1 + (pattern.charAt(start + 1) == '^' ? 1 : 0)) {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
            i++;
        }
        return pattern.length();
    }
}
