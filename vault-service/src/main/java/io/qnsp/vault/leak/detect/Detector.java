package io.qnsp.vault.leak.detect;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs rules over lines of text. A regex rule's value is its first capturing group when it has one, else the whole
 * match; a keyword rule's value is what is assigned to a name containing the keyword; an entropy rule's values are
 * the {@link Tokens#entropyTokens entropy tokens} at or above its minimum. A private key block found by the built-in
 * rule is one value from its {@code BEGIN} line to its {@code END} line; the lines inside it are not looked at by
 * any other rule. Each regular expression gets {@code stepBudget} character reads per line: past that it gives up
 * on the line (counted in {@link Result#budgetExceeded()}), so no expression can stall a scan. A line longer than
 * {@code maxLineLength} is read up to that length. (Java's matcher recurses: an expression that would overflow the
 * stack on a line is given up on the same way.)
 */
public final class Detector {

    public static final int MAX_BLOCK_LINES = 200;
    private static final Pattern PRIVATE_KEY_END = Pattern.compile(DefaultRules.PRIVATE_KEY_END);
    private static final Pattern BASE64_LINE = Pattern.compile("[A-Za-z0-9+/=]{1,200}");
    private static final int MIN_KEYWORD_VALUE = 8;

    /** A value a rule found, and the line it is on. */
    public record Hit(String value, int line, Rule rule) {

        @Override
        public String toString() {
            return "Hit[" + Masks.of(value) + " line " + line + " " + rule.name() + "]";
        }
    }

    /**
     * What a text holds: the rules' hits, every known-value candidate with the first line it is on, and how many
     * times a regular expression ran out of budget.
     */
    public record Result(List<Hit> hits, Map<String, Integer> candidates, int budgetExceeded) {

        @Override
        public String toString() {
            return "Result[" + hits.size() + " hits, " + candidates.size() + " candidates]";
        }
    }

    private sealed interface Compiled permits RegexRule, KeywordRule, EntropyRule, PrivateKeyRule {
        Rule rule();
    }

    private record RegexRule(Rule rule, Pattern pattern, List<String> keywords) implements Compiled {
    }

    private record KeywordRule(Rule rule, Pattern pattern, String keyword) implements Compiled {
    }

    private record EntropyRule(Rule rule, double minimum) implements Compiled {
    }

    private record PrivateKeyRule(Rule rule, Pattern begin) implements Compiled {
    }

    private final List<Compiled> rules = new ArrayList<>();
    private final @Nullable PrivateKeyRule privateKeys;
    private final long stepBudget;
    private final int maxLineLength;

    public Detector(List<Rule> rules, long stepBudget, int maxLineLength) {
        this.stepBudget = stepBudget;
        this.maxLineLength = maxLineLength;
        PrivateKeyRule blocks = null;
        for (Rule rule : rules) {
            if (rule.builtIn() && rule.name().equals(DefaultRules.PRIVATE_KEY)) {
                if (blocks == null) {
                    blocks = new PrivateKeyRule(rule, Pattern.compile(rule.pattern()));
                }
                continue;
            }
            this.rules.add(switch (rule.type()) {
                case REGEX -> new RegexRule(rule, Pattern.compile(rule.pattern()),
                        rule.builtIn() ? DefaultRules.KEYWORDS.getOrDefault(rule.name(), List.of()) : List.of());
                case KEYWORD -> new KeywordRule(rule, keywordPattern(rule.pattern()),
                        rule.pattern().toLowerCase(Locale.ROOT));
                case ENTROPY -> new EntropyRule(rule, PatternRules.minimumEntropy(rule.pattern()));
            });
        }
        this.privateKeys = blocks;
    }

    static Pattern keywordPattern(String keyword) {
        return Pattern.compile("(?i)" + Pattern.quote(keyword) + "[\\w.-]{0,64}[\"']?\\s{0,8}(?::=|=>|=|:)\\s{0,8}"
                + "(?:\"([^\"\\r\\n]{8,512})\"|'([^'\\r\\n]{8,512})'|`([^`\\r\\n]{8,512})`"
                + "|([^\\s\"'`,;(){}\\[\\]<>]{8,512}))");
    }

    public Result scan(List<LineText> input) {
        List<LineText> lines = input.stream().map(l -> l.text().length() > maxLineLength
                ? new LineText(l.number(), l.text().substring(0, maxLineLength)) : l).toList();
        List<Hit> hits = new ArrayList<>();
        Map<String, Integer> candidates = new LinkedHashMap<>();
        boolean[] inBlock = new boolean[lines.size()];
        if (privateKeys != null) {
            privateKeyBlocks(lines, inBlock, hits, candidates);
        }
        int[] budgetExceeded = {0};
        for (int i = 0; i < lines.size(); i++) {
            if (inBlock[i]) {
                continue;
            }
            LineText line = lines.get(i);
            for (Compiled rule : rules) {
                switch (rule) {
                    case RegexRule regex -> regex(regex, line, hits, budgetExceeded);
                    case KeywordRule keyword -> keyword(keyword, line, hits, budgetExceeded);
                    case EntropyRule entropy -> {
                        for (Tokens.Token token : Tokens.entropyTokens(line.text())) {
                            if (Entropy.bitsPerChar(token.text()) >= entropy.minimum()) {
                                hits.add(new Hit(token.text(), line.number(), entropy.rule()));
                            }
                        }
                    }
                    case PrivateKeyRule ignored -> {
                    }
                }
            }
            Tokens.knownValueCandidates(line.text(), candidate -> candidates.putIfAbsent(candidate, line.number()));
        }
        for (Hit hit : hits) {
            candidates.putIfAbsent(hit.value(), hit.line());
        }
        return new Result(hits, candidates, budgetExceeded[0]);
    }

    private void regex(RegexRule rule, LineText line, List<Hit> hits, int[] budgetExceeded) {
        if (!rule.keywords().isEmpty() && rule.keywords().stream().noneMatch(line.text()::contains)) {
            return;
        }
        try {
            Matcher matcher = rule.pattern().matcher(new BudgetedText(line.text(), stepBudget));
            while (matcher.find()) {
                String value = matcher.groupCount() >= 1 && matcher.group(1) != null ? matcher.group(1)
                        : matcher.group();
                if (!value.isEmpty()) {
                    hits.add(new Hit(value, line.number(), rule.rule()));
                }
                if (matcher.end() == matcher.start() && matcher.end() >= line.text().length()) {
                    break;
                }
            }
        } catch (BudgetedText.BudgetExceeded | StackOverflowError e) {
            // deep recursion in the matcher is the same runaway backtracking, caught before it is counted out
            budgetExceeded[0]++;
        }
    }

    private void keyword(KeywordRule rule, LineText line, List<Hit> hits, int[] budgetExceeded) {
        if (!line.text().toLowerCase(Locale.ROOT).contains(rule.keyword())) {
            return;
        }
        try {
            Matcher matcher = rule.pattern().matcher(new BudgetedText(line.text(), stepBudget));
            while (matcher.find()) {
                for (int group = 1; group <= 4; group++) {
                    String value = matcher.group(group);
                    if (value != null && assignedValue(value, group == 4)) {
                        hits.add(new Hit(value, line.number(), rule.rule()));
                    }
                }
            }
        } catch (BudgetedText.BudgetExceeded | StackOverflowError e) {
            // deep recursion in the matcher is the same runaway backtracking, caught before it is counted out
            budgetExceeded[0]++;
        }
    }

    /**
     * Whether what is assigned looks like a value rather than a reference: placeholders ({@code ${…}}, {@code {{…}}},
     * {@code #{…}}, {@code %(…)}) never count, nor, unquoted, a name or dotted reference ({@code config.password}).
     */
    static boolean assignedValue(String value, boolean unquoted) {
        if (value.length() < MIN_KEYWORD_VALUE || value.startsWith("${") || value.startsWith("{{")
                || value.startsWith("#{") || value.startsWith("%(")) {
            return false;
        }
        return !unquoted || !(value.matches("[A-Za-z_$][A-Za-z0-9_$.]*") || value.startsWith("$")
                || value.startsWith("%"));
    }

    private void privateKeyBlocks(List<LineText> lines, boolean[] inBlock, List<Hit> hits,
                                  Map<String, Integer> candidates) {
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).text();
            if (!text.contains("PRIVATE KEY")) {
                continue;
            }
            Matcher begin = privateKeys.begin().matcher(text);
            if (!begin.find()) {
                continue;
            }
            Matcher sameLineEnd = PRIVATE_KEY_END.matcher(text);
            String block;
            int last = i;
            if (sameLineEnd.find(begin.end())) {
                block = text.substring(begin.start(), sameLineEnd.end());
            } else {
                StringBuilder value = new StringBuilder(text.substring(begin.start()).strip());
                int j = i + 1;
                boolean ended = false;
                while (j < lines.size() && j - i <= MAX_BLOCK_LINES
                        && lines.get(j).number() == lines.get(j - 1).number() + 1) {
                    String next = lines.get(j).text().strip();
                    Matcher end = PRIVATE_KEY_END.matcher(next);
                    if (end.find()) {
                        value.append('\n').append(next, 0, end.end());
                        last = j;
                        ended = true;
                        break;
                    }
                    if (!BASE64_LINE.matcher(next).matches() && !next.contains(":") && !next.isEmpty()) {
                        break;
                    }
                    value.append('\n').append(next);
                    last = j;
                    j++;
                }
                if (!ended) {
                    // a block cut short (by the end of a diff hunk, or a broken file): what was seen of it
                    last = Math.max(i, last);
                }
                block = value.toString();
            }
            for (int k = i; k <= last; k++) {
                inBlock[k] = true;
            }
            int number = lines.get(i).number();
            hits.add(new Hit(block, number, privateKeys.rule()));
            candidates.putIfAbsent(block, number);
            candidates.putIfAbsent(block + "\n", number);
            i = last;
        }
    }
}
