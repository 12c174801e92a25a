package io.qnsp.ai.injection;

import io.qnsp.common.error.InvalidField;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a tenant's pattern before it is stored: it must compile, must not match the empty text, and must not
 * backtrack catastrophically. Java's matcher already memoizes some nested repetition, so {@code (a+)+$} is "only"
 * quadratic there, but quadratic on a 100,000-character prompt is billions of steps. The check therefore runs the
 * pattern over probe inputs built to trigger backtracking (a long run of one character the pattern can repeat,
 * followed by a character that makes the match fail at the end, with and without the pattern's leading literal in
 * front) and refuses it when any probe needs more than {@link #PROBE_STEPS_PER_CHAR} character reads per input
 * character: linear patterns stay far below that, patterns whose work grows with the square of the input (or
 * faster) or that overflow the matcher's stack do not. The count of reads is deterministic, and so is the stack
 * verdict: a pattern whose recursion grows with the input (Java's matcher recurses once per repetition of a group
 * such as {@code (a|aa)+}) is also run over a run of {@link #RECURSION_PROBE_RUN} characters on a thread of its own
 * with a fixed {@link #PROBE_STACK_BYTES} stack. That run leaves four bytes of stack per character, less than any
 * frame takes, so the recursion overflows it whatever stack the request's thread has and however far the JIT has
 * compiled (and shrunk) the matcher's frames; a 2,000-character run did not always. The same pattern is thus always
 * judged the same way. Matching a prompt is budgeted as well, so a slow pattern the probes
 * miss is still stopped at analysis time.
 */
final class PatternSafety {

    static final int MAX_PATTERN_LENGTH = 1000;
    /** Tenant patterns match regardless of case, as the built-in heuristics do. */
    static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    static final int PROBE_RUN = 2_000;
    static final long PROBE_STEPS_PER_CHAR = 100;
    /** A guard only: the step budget decides, but nothing may hold the request thread for long. */
    static final long PROBE_TIMEOUT_MILLIS = 5_000;
    /** The probing thread's stack: a pattern that does not recurse per character needs a small fraction of it. */
    static final long PROBE_STACK_BYTES = 256 * 1024;
    /**
     * A run this long overflows {@link #PROBE_STACK_BYTES} when the matcher recurses once per character (or per
     * repetition of a short group): four bytes a level, where a compiled frame takes at least sixteen.
     */
    static final int RECURSION_PROBE_RUN = (int) (PROBE_STACK_BYTES / 4);
    private static final String PROBE_CHARACTERS = "a1 _-.x\n";
    private static final String[] PROBE_ENDINGS = {"!", "\u0000", "\n!"};
    private static final String METACHARACTERS = "\\^$.|?*+()[]{}";

    private PatternSafety() {
    }

    /** A stored pattern compiled for matching (it passed {@link #compile} when it was created). */
    static Pattern compiled(String regex) {
        return Pattern.compile(regex, FLAGS);
    }

    /** The compiled pattern, or an {@link InvalidField} naming {@code pattern}. */
    static Pattern compile(String regex) {
        if (regex.length() > MAX_PATTERN_LENGTH) {
            throw new InvalidField("pattern", "must be at most " + MAX_PATTERN_LENGTH + " characters");
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex, FLAGS);
        } catch (PatternSyntaxException e) {
            throw new InvalidField("pattern", "is not a valid regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
        if (pattern.matcher("").find()) {
            throw new InvalidField("pattern", "matches the empty text, so it would flag every prompt");
        }
        if (backtracksCatastrophically(pattern, regex)) {
            throw new InvalidField("pattern", "can backtrack catastrophically: on a long input it needs more than "
                    + PROBE_STEPS_PER_CHAR + " steps per character (nested or overlapping repetition); rewrite it "
                    + "without a repeated part that can match the same text in several ways");
        }
        return pattern;
    }

    static boolean backtracksCatastrophically(Pattern pattern, String regex) {
        boolean[] catastrophic = {true};
        Thread probing = new Thread(null, () -> catastrophic[0] = probesExceedTheirBudget(pattern, regex),
                "pattern-probe", PROBE_STACK_BYTES);
        probing.setDaemon(true);
        probing.start();
        try {
            // the probes stop themselves at their deadline; the join's own limit only guards against a thread
            // that never got to run
            if (!probing.join(Duration.ofMillis(2 * PROBE_TIMEOUT_MILLIS))) {
                probing.interrupt();
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
        return catastrophic[0];
    }

    private static boolean probesExceedTheirBudget(Pattern pattern, String regex) {
        String prefix = leadingLiteral(regex);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROBE_TIMEOUT_MILLIS);
        Set<Character> characters = probeCharacters(regex);
        for (char c : characters) {
            String run = String.valueOf(c).repeat(PROBE_RUN);
            for (String ending : PROBE_ENDINGS) {
                if (anyProbeExceedsItsBudget(pattern, prefix, run + ending, deadline)) {
                    return true;
                }
            }
        }
        for (char c : characters) {
            if (anyProbeExceedsItsBudget(pattern, prefix, String.valueOf(c).repeat(RECURSION_PROBE_RUN)
                    + PROBE_ENDINGS[0], deadline)) {
                return true;
            }
        }
        return false;
    }

    /** Runs the pattern over the text alone and, when the pattern starts with a literal, behind that literal. */
    private static boolean anyProbeExceedsItsBudget(Pattern pattern, String prefix, String text, long deadline) {
        for (String probe : prefix.isEmpty() ? new String[]{text} : new String[]{text, prefix + text}) {
            try {
                pattern.matcher(new BudgetedText(probe, PROBE_STEPS_PER_CHAR * probe.length(), deadline)).find();
            } catch (BudgetedText.MatchBudgetExceeded | StackOverflowError e) {
                return true;
            }
        }
        return false;
    }

    /** Characters the pattern names literally (letters, digits, spaces, punctuation) and a few generic ones. */
    private static Set<Character> probeCharacters(String regex) {
        Set<Character> characters = new LinkedHashSet<>();
        for (int i = 0; i < regex.length() && characters.size() < 40; i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                i++; // an escape: \d, \w, \s are covered by the generic characters, \. by itself
                char escaped = regex.charAt(i);
                if (METACHARACTERS.indexOf(escaped) >= 0) {
                    characters.add(escaped);
                }
            } else if (METACHARACTERS.indexOf(c) < 0 && c >= ' ') {
                characters.add(c);
            }
        }
        for (char c : PROBE_CHARACTERS.toCharArray()) {
            characters.add(c);
        }
        return characters;
    }

    /** The literal text the pattern starts with, so probes can reach what follows it. */
    private static String leadingLiteral(String regex) {
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '^') {
                continue;
            }
            if (c == '\\' && i + 1 < regex.length() && METACHARACTERS.indexOf(regex.charAt(i + 1)) >= 0) {
                literal.append(regex.charAt(++i));
            } else if (METACHARACTERS.indexOf(c) < 0) {
                literal.append(c);
            } else {
                // a quantifier after the last literal character applies to it alone
                if ("?*+{".indexOf(c) >= 0 && literal.length() > 0) {
                    literal.setLength(literal.length() - 1);
                }
                break;
            }
        }
        return literal.toString();
    }
}
