package io.qnsp.storage.classification;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Counts the findings of rules in an object's content without holding it whole: at most {@code maxBytes} are read,
 * decoded as UTF-8 (bytes that are no UTF-8 become replacement characters), and scanned a window at a time. A window
 * keeps {@link #OVERLAP} characters of the one before as context and leaves as many to the next, so a finding cut by a
 * window's end is found whole in the next one, and a finding is counted once, in the window where it starts. A
 * finding longer than the overlap may be missed.
 */
final class ContentScanner {

    static final int WINDOW = 64 * 1024;
    static final int OVERLAP = 1024;

    /** What a scan saw: bytes read, whether the content went on past the limit, and each rule's findings. */
    record Result(long scannedBytes, boolean truncated, int[] findings) {
    }

    private ContentScanner() {
    }

    static Result scan(InputStream content, long maxBytes, List<Rule> rules) throws IOException {
        CountingStream counted = new CountingStream(content, maxBytes);
        Reader reader = new InputStreamReader(counted, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
        Pattern[] patterns = rules.stream().map(Rule::compiled).toArray(Pattern[]::new);
        int[] findings = new int[rules.size()];
        // per rule: where (in the current window) its last counted finding ended, so none is counted twice
        int[] countedUntil = new int[rules.size()];
        StringBuilder window = new StringBuilder(WINDOW + OVERLAP);
        char[] buffer = new char[8192];
        boolean ended = false;
        // findings are counted when they start in [zoneStart, zoneEnd); what lies before is context from the last
        // window (so anchors and word boundaries see the real text), what lies after is scanned again next time
        int zoneStart = 0;
        while (!ended) {
            while (window.length() < WINDOW + OVERLAP) {
                int n = reader.read(buffer);
                if (n < 0) {
                    ended = true;
                    break;
                }
                window.append(buffer, 0, n);
            }
            int length = window.length();
            int zoneEnd = ended ? length : length - OVERLAP;
            for (int r = 0; r < rules.size(); r++) {
                Matcher matcher = patterns[r].matcher(window);
                int from = 0;
                while (from <= length && matcher.find(from)) {
                    int start = matcher.start();
                    int end = matcher.end();
                    if (start >= zoneEnd) {
                        break;
                    }
                    // a match reaching the window's end may be cut there, or an anchor taking it for the text's end
                    boolean complete = ended || end < length;
                    if (start >= zoneStart && start >= countedUntil[r] && complete
                            && rules.get(r).accepts(window, matcher)) {
                        findings[r]++;
                        countedUntil[r] = end;
                    }
                    from = end > start ? end : start + 1;
                }
            }
            if (!ended) {
                int drop = zoneEnd - OVERLAP;
                window.delete(0, drop);
                zoneStart = OVERLAP;
                for (int r = 0; r < rules.size(); r++) {
                    countedUntil[r] = Math.max(0, countedUntil[r] - drop);
                }
            }
        }
        return new Result(counted.count, counted.truncated(), findings);
    }

    /** Reads at most the limit, and notes whether there was more. */
    private static final class CountingStream extends InputStream {

        private final InputStream in;
        private final long limit;
        private long count;
        private boolean more;

        CountingStream(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        boolean truncated() {
            return more;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (count >= limit) {
                if (!more && in.read() >= 0) {
                    more = true;
                }
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, limit - count));
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
