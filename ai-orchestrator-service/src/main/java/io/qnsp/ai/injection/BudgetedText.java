package io.qnsp.ai.injection;

/**
 * A text that a regular expression reads under a budget: every character the matcher reads is a step, and once
 * the steps run out or the deadline passes the next read throws {@link MatchBudgetExceeded}. Java's matcher
 * backtracks by reading characters again, so a pattern that backtracks catastrophically spends its budget quickly
 * and is stopped instead of holding the request thread.
 */
final class BudgetedText implements CharSequence {

    private static final int CLOCK_EVERY = 1 << 12;

    private final CharSequence text;
    private final long deadlineNanos;
    private long stepsLeft;
    private int untilClock = CLOCK_EVERY;

    BudgetedText(CharSequence text, long steps, long deadlineNanos) {
        this.text = text;
        this.stepsLeft = steps;
        this.deadlineNanos = deadlineNanos;
    }

    /** Thrown by a read once the budget is spent. */
    static final class MatchBudgetExceeded extends RuntimeException {

        MatchBudgetExceeded() {
            super("the pattern exceeded its matching budget", null, false, false);
        }
    }

    @Override
    public char charAt(int index) {
        if (--stepsLeft < 0) {
            throw new MatchBudgetExceeded();
        }
        if (--untilClock == 0) {
            untilClock = CLOCK_EVERY;
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new MatchBudgetExceeded();
            }
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    /** Used for a match's text once found; not counted. */
    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
