package io.qnsp.ai.injection;

import io.qnsp.ai.AiSettings;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prompt-injection detection: a tenant's own patterns and the built-in heuristics run over a prompt (and its
 * context), each under a step and time budget; the outcome of every analysis (never the prompt) is recorded for
 * the tenant's statistics.
 */
@Service
public class InjectionDetection {

    private static final Logger log = LoggerFactory.getLogger(InjectionDetection.class);
    static final int MAX_MATCHED_TEXT = 200;
    private static final long FIXED_STEPS = 100_000;

    private final InjectionStore store;
    private final AiSettings settings;
    private final Clock clock;
    private final Map<String, Pattern> compiled = new ConcurrentHashMap<>();

    InjectionDetection(InjectionStore store, AiSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    public record NewPattern(String name, String pattern, String category, String severity, boolean enabled) {
    }

    /** Stores a pattern once it compiles and does not backtrack catastrophically ({@link PatternSafety}). */
    public InjectionPattern createPattern(String tenantId, NewPattern p) {
        PatternSafety.compile(p.pattern());
        InjectionPattern pattern = new InjectionPattern(UUID.randomUUID(), tenantId, p.name(), p.pattern(),
                p.category(), p.severity(), p.enabled(), clock.instant().truncatedTo(ChronoUnit.MICROS));
        store.insert(pattern);
        return pattern;
    }

    /**
     * An analysis: its detections, the risk score and recommendation ({@link RiskScore}), and the tenant patterns
     * that ran out of budget on this input and so could not be evaluated.
     */
    public record Analysis(boolean safe, int riskScore, List<Detection> detections, String recommendation,
                           List<String> unevaluatedPatterns) {
    }

    @Transactional
    public Analysis analyze(String tenantId, String prompt, @Nullable String context) {
        List<Detection> detections = new ArrayList<>();
        Set<String> unevaluated = new LinkedHashSet<>();
        List<InjectionPattern> patterns = store.enabled(tenantId);
        scan("prompt", prompt, patterns, detections, unevaluated);
        if (context != null && !context.isEmpty()) {
            scan("context", context, patterns, detections, unevaluated);
        }
        int score = RiskScore.of(detections);
        String recommendation = RiskScore.recommendation(score);
        List<String> categories = detections.stream().map(Detection::category).distinct().sorted().toList();
        store.recordAnalysis(UUID.randomUUID(), tenantId, score, recommendation, categories, detections.size(),
                clock.instant());
        return new Analysis("allow".equals(recommendation), score, detections, recommendation,
                List.copyOf(unevaluated));
    }

    private void scan(String source, String text, List<InjectionPattern> patterns, List<Detection> detections,
                      Set<String> unevaluated) {
        for (InjectionPattern p : patterns) {
            Pattern pattern = compiled.computeIfAbsent(p.pattern(), PatternSafety::compiled);
            Match match = firstMatch(pattern, text);
            if (match == null) {
                continue;
            }
            if (match.timedOut()) {
                unevaluated.add(p.patternId().toString());
                log.info("Injection pattern {} ran out of its matching budget on a {}-character {}", p.patternId(),
                        text.length(), source);
            } else {
                detections.add(new Detection(p.patternId().toString(), p.category(), p.severity(), match.text(),
                        source));
            }
        }
        for (BuiltInHeuristics.Heuristic heuristic : BuiltInHeuristics.PHRASES) {
            Match match = firstMatch(heuristic.pattern(), text);
            if (match != null && !match.timedOut()) {
                detections.add(new Detection(heuristic.id(), heuristic.category(), heuristic.severity(), match.text(),
                        source));
            }
        }
        for (BuiltInHeuristics.EncodedPayload payload : BuiltInHeuristics.encodedPayloads(text)) {
            // a payload hiding one of the phrases is critical, in the phrase's category; readable encoded text
            // with none of them is only suspicious
            BuiltInHeuristics.Heuristic hidden = null;
            for (BuiltInHeuristics.Heuristic heuristic : BuiltInHeuristics.PHRASES) {
                Match match = firstMatch(heuristic.pattern(), payload.decoded());
                if (match != null && !match.timedOut()) {
                    hidden = heuristic;
                    break;
                }
            }
            detections.add(new Detection(BuiltInHeuristics.ENCODED_ID,
                    hidden == null ? "jailbreak" : hidden.category(), hidden == null ? "low" : "critical",
                    shown(payload.encoded()), source));
        }
    }

    /** A pattern's first match in a text (as shown to the caller), or the budget running out before one. */
    private record Match(String text, boolean timedOut) {
    }

    /** The first match, null for none. */
    private @Nullable Match firstMatch(Pattern pattern, String text) {
        long steps = FIXED_STEPS + (long) settings.matchStepsPerChar() * text.length();
        Matcher matcher = pattern.matcher(new BudgetedText(text, steps,
                System.nanoTime() + settings.matchTimeout().toNanos()));
        try {
            return matcher.find() ? new Match(shown(matcher.group()), false) : null;
        } catch (BudgetedText.MatchBudgetExceeded | StackOverflowError e) {
            return new Match("", true);
        }
    }

    private static String shown(String match) {
        return match.length() <= MAX_MATCHED_TEXT ? match : match.substring(0, MAX_MATCHED_TEXT);
    }

    public record Stats(long totalAnalyzed, long blocked, Map<String, Long> byCategory) {
    }

    public Stats stats(String tenantId) {
        InjectionStore.Totals totals = store.totals(tenantId);
        Map<String, Long> counted = store.analysesByCategory(tenantId);
        Map<String, Long> byCategory = new LinkedHashMap<>();
        for (String category : InjectionPattern.CATEGORIES) {
            byCategory.put(category, counted.getOrDefault(category, 0L));
        }
        return new Stats(totals.analyzed(), totals.blocked(), byCategory);
    }
}
