package io.qnsp.vault.leak.detect;

/** One line of scanned text with its 1-based number in the file it comes from. */
public record LineText(int number, String text) {

    @Override
    public String toString() {
        return "LineText[" + number + ", " + text.length() + " chars]";
    }
}
