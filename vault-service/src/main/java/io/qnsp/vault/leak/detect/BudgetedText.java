package io.qnsp.vault.leak.detect;

/**
 * A line as a regular expression reads it, counting the characters read: past the budget the match is abandoned,
 * so that an expression which backtracks badly costs a bounded amount of work per line.
 */
final class BudgetedText implements CharSequence {

    /** Thrown, without a stack trace, when the budget is spent. */
    static final class BudgetExceeded extends RuntimeException {

        BudgetExceeded() {
            super("regular expression step budget exceeded", null, false, false);
        }
    }

    private final String text;
    private final long[] remaining;
    private final int offset;
    private final int length;

    BudgetedText(String text, long budget) {
        this(text, new long[]{budget}, 0, text.length());
    }

    private BudgetedText(String text, long[] remaining, int offset, int length) {
        this.text = text;
        this.remaining = remaining;
        this.offset = offset;
        this.length = length;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (--remaining[0] < 0) {
            throw new BudgetExceeded();
        }
        return text.charAt(offset + index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new BudgetedText(text, remaining, offset + start, end - start);
    }

    @Override
    public String toString() {
        return text.substring(offset, offset + length);
    }
}
