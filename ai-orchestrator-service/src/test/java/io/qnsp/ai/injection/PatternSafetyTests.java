package io.qnsp.ai.injection;

import io.qnsp.common.error.InvalidField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PatternSafetyTests {

    private static final long DEEP_STACK = 256L * 1024 * 1024;
    private static final long SHALLOW_STACK = 512L * 1024;

    @Test
    void ordinaryPatternsPass() {
        for (String regex : new String[]{"ignore\\s+previous", "project\\s+(?:falcon|osprey)", "\\bpassword\\s*[:=]",
                "(?:sk|pk)-[a-z0-9]{20,}", "system prompt.*", "ignore.*instructions", "api[_-]?key\\s*[:=]"}) {
            assertThat(PatternSafety.compile(regex).pattern()).isEqualTo(regex);
        }
    }

    @Test
    void nestedAndOverlappingRepetitionIsRefused() {
        // each needs work growing at least with the square of a long input, or overflows the matcher's stack
        for (String regex : new String[]{"(a+)+$", "(a*)*b", "(a|aa)+$", "(\\d+)*x", "(\\w+\\s?)+$",
                "ignore (x+x+)+y", ".*x"}) {
            assertThatThrownBy(() -> PatternSafety.compile(regex)).as(regex).isInstanceOf(InvalidField.class)
                    .hasMessageContaining("backtrack");
        }
    }

    @Test
    void aBudgetStopsCatastrophicBacktrackingOnALongInput() {
        Pattern pattern = Pattern.compile("(a+)+$");
        BudgetedText text = new BudgetedText("a".repeat(10_000) + "!", 1_000_000, System.nanoTime() + 10_000_000_000L);
        assertThatThrownBy(() -> pattern.matcher(text).find()).isInstanceOf(BudgetedText.MatchBudgetExceeded.class);
        // the deadline stops it too, whatever the step budget
        BudgetedText late = new BudgetedText("a".repeat(10_000) + "!", Long.MAX_VALUE, System.nanoTime() + 50_000_000L);
        assertThatThrownBy(() -> pattern.matcher(late).find()).isInstanceOf(BudgetedText.MatchBudgetExceeded.class);
    }

    @Test
    void riskScoreCombinesDetectionsAsIndependentChances() {
        Detection high = new Detection("p", "jailbreak", "high", "x", "prompt");
        Detection low = new Detection("q", "jailbreak", "low", "y", "prompt");
        assertThat(RiskScore.of(java.util.List.of())).isZero();
        assertThat(RiskScore.of(java.util.List.of(low))).isEqualTo(10);
        assertThat(RiskScore.of(java.util.List.of(high, low))).isEqualTo(51); // 100 * (1 - 0.55 * 0.9) = 50.5
        assertThat(RiskScore.recommendation(10)).isEqualTo("allow");
        assertThat(RiskScore.recommendation(25)).isEqualTo("sanitize");
        assertThat(RiskScore.recommendation(60)).isEqualTo("block");
    }

    /**
     * The judgement of a pattern does not depend on the thread that asks for it: a request served on a thread with a
     * deep stack (or with the matcher already compiled) judges a pattern as one with a shallow stack does.
     */
    @ParameterizedTest
    @ValueSource(strings = {"(a+)+$", "(a|aa)+$", "(\\w+\\s?)+$", "ignore (x+x+)+y", "[a-z]+@[a-z]+\\.com"})
    void aPatternThatBacktracksOrRecursesPerCharacterIsRefusedWhateverTheCallersStack(String regex) throws Exception {
        for (long stack : new long[]{DEEP_STACK, SHALLOW_STACK, DEEP_STACK}) {
            assertThat(judgedOn(stack, regex)).as("%s judged on a %d-byte stack", regex, stack).isTrue();
        }
    }

    /**
     * Once the JIT has compiled the matcher, its frames are smaller, so a recursion that overflowed the probing stack
     * while interpreted may fit in it: the probe must overflow even then.
     */
    @Test
    void aPatternThatRecursesPerCharacterIsRefusedAfterTheMatcherIsCompiled() throws Exception {
        String regex = "(a|aa)+$";
        Pattern pattern = PatternSafety.compiled(regex);
        String run = "a".repeat(PatternSafety.PROBE_RUN) + "!";
        Thread warming = new Thread(null, () -> {
            for (int i = 0; i < 5_000; i++) {
                pattern.matcher(run).find();
            }
        }, "warming", DEEP_STACK);
        warming.start();
        warming.join();
        for (int i = 0; i < 3; i++) {
            assertThat(judgedOn(DEEP_STACK, regex)).as("%s judged after the matcher was compiled", regex).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"(?:xy)+z", "project\\s+(?:falcon|osprey)", "ignore (all )?previous instructions",
            "(?:ignore|disregard)\\s+(?:all\\s+)?(?:previous|prior)\\s+instructions", "(ab|cd)+e"})
    void aLinearPatternIsAcceptedWhateverTheCallersStack(String regex) throws Exception {
        for (long stack : new long[]{DEEP_STACK, SHALLOW_STACK}) {
            assertThat(judgedOn(stack, regex)).as("%s judged on a %d-byte stack", regex, stack).isFalse();
        }
    }

    private static boolean judgedOn(long stackBytes, String regex) throws InterruptedException {
        AtomicReference<Boolean> catastrophic = new AtomicReference<>();
        Thread caller = new Thread(null, () -> catastrophic.set(PatternSafety.backtracksCatastrophically(
                PatternSafety.compiled(regex), regex)), "caller", stackBytes);
        caller.start();
        caller.join();
        assertThat(catastrophic.get()).as("the judgement of %s", regex).isNotNull();
        return catastrophic.get();
    }
}
