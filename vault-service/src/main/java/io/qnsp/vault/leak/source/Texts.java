package io.qnsp.vault.leak.source;

import io.qnsp.vault.leak.detect.LineText;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Turns a file's bytes into numbered lines, and tells text from binary content as git does. */
final class Texts {

    private static final int BINARY_PROBE = 8000;

    private Texts() {
    }

    /** Whether a NUL byte is in the first 8000 bytes, git's own test for binary content. */
    static boolean isBinary(byte[] content) {
        for (int i = 0; i < Math.min(content.length, BINARY_PROBE); i++) {
            if (content[i] == 0) {
                return true;
            }
        }
        return false;
    }

    static List<LineText> lines(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        List<LineText> lines = new ArrayList<>();
        int number = 1;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                if (i < text.length() || start < i) {
                    lines.add(new LineText(number++, stripCarriageReturn(text.substring(start, i))));
                }
                start = i + 1;
            }
        }
        return lines;
    }

    static String stripCarriageReturn(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
