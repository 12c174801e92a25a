package io.qnsp.vault.leak.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a line is cut into the tokens detection looks at.
 * <ul>
 * <li><b>Entropy tokens</b>: maximal runs of {@code A-Z a-z 0-9 + / _ -} (the base64, base64url and hex alphabets),
 * with up to two {@code =} of padding that directly follow; an {@code =} anywhere else ends a token, so
 * {@code KEY=value} gives {@code KEY} and {@code value}. A token counts from {@link #MIN_ENTROPY_TOKEN} characters,
 * up to {@link #MAX_TOKEN}, and only when it holds at least one letter and one digit (a long identifier, a path of
 * words or a line of dashes is no candidate).</li>
 * <li><b>Known-value candidates</b> (looked up among the stored secrets by fingerprint): the line without its
 * leading and trailing whitespace; the content of each quoted literal ({@code "…"}, {@code '…'}, {@code `…`}); each
 * word between whitespace and the delimiters {@code " ' ` , ; ( ) [ ] { } < >}; and, for a word holding {@code =},
 * {@code :} or {@code @}, the parts before, after and between those (so {@code PASSWORD=s3cr3t},
 * {@code user:s3cr3t@host} and {@code "token": "s3cr3t"} all yield {@code s3cr3t}). Candidates shorter than
 * {@link #MIN_KNOWN_VALUE} or longer than {@link #MAX_TOKEN} characters are left out: a stored value shorter than
 * 8 characters is not looked for.</li>
 * </ul>
 */
public final class Tokens {

    public static final int MIN_ENTROPY_TOKEN = 20;
    public static final int MIN_KNOWN_VALUE = 8;
    public static final int MAX_TOKEN = 1024;
    private static final int MAX_SEPARATORS = 8;
    private static final String DELIMITERS = "\"'`,;()[]{}<>";
    private static final String SEPARATORS = "=:@";

    private Tokens() {
    }

    /** A token and where it starts on its line. */
    public record Token(String text, int start) {

        @Override
        public String toString() {
            return "Token[" + Masks.of(text) + " at " + start + "]";
        }
    }

    public static List<Token> entropyTokens(String line) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            if (!isTokenChar(line.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            boolean letter = false;
            boolean digit = false;
            while (i < line.length() && isTokenChar(line.charAt(i))) {
                char c = line.charAt(i);
                letter |= Character.isLetter(c);
                digit |= c >= '0' && c <= '9';
                i++;
            }
            int end = i;
            for (int pad = 0; pad < 2 && end < line.length() && line.charAt(end) == '='; pad++) {
                end++;
            }
            // padding is only padding when nothing of the token alphabet follows it
            if (end > i && (end == line.length() || !isTokenChar(line.charAt(end)))) {
                i = end;
            } else {
                end = i;
            }
            int length = end - start;
            if (letter && digit && length >= MIN_ENTROPY_TOKEN && length <= MAX_TOKEN) {
                tokens.add(new Token(line.substring(start, end), start));
            }
        }
        return tokens;
    }

    static boolean isTokenChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
                || c == '_' || c == '-';
    }

    public static void knownValueCandidates(String line, Consumer<String> sink) {
        offer(line.strip(), sink);
        quoted(line, sink);
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c) || DELIMITERS.indexOf(c) >= 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < line.length() && !Character.isWhitespace(line.charAt(i))
                    && DELIMITERS.indexOf(line.charAt(i)) < 0) {
                i++;
            }
            word(line.substring(start, i), sink);
        }
    }

    private static void quoted(String line, Consumer<String> sink) {
        for (int i = 0; i < line.length(); i++) {
            char quote = line.charAt(i);
            if (quote != '"' && quote != '\'' && quote != '`') {
                continue;
            }
            int j = i + 1;
            while (j < line.length() && line.charAt(j) != quote) {
                j += line.charAt(j) == '\\' ? 2 : 1;
            }
            if (j < line.length()) {
                offer(line.substring(i + 1, j), sink);
                i = j;
            }
        }
    }

    private static void word(String word, Consumer<String> sink) {
        offer(word, sink);
        List<Integer> separators = new ArrayList<>();
        for (int i = 0; i < word.length() && separators.size() < MAX_SEPARATORS; i++) {
            if (SEPARATORS.indexOf(word.charAt(i)) >= 0) {
                separators.add(i);
            }
        }
        int previous = -1;
        for (int separator : separators) {
            offer(word.substring(0, separator), sink);
            offer(word.substring(separator + 1), sink);
            offer(word.substring(previous + 1, separator), sink);
            previous = separator;
        }
    }

    private static void offer(String candidate, Consumer<String> sink) {
        if (candidate.length() >= MIN_KNOWN_VALUE && candidate.length() <= MAX_TOKEN) {
            sink.accept(candidate);
        }
    }
}
