package io.qnsp.ai.injection;

import io.qnsp.common.error.InvalidField;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PatternSafetyTests {

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
}
