package io.qnsp.auth.risk;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings that would make the stats or the scoring wrong are refused at startup. */
class RiskSettingsTests {

    @Test
    void defaultsAreAccepted() {
        RiskSettings settings = settings(Duration.ofDays(90), Duration.ofDays(90), Duration.ofDays(30));
        assertThat(settings.evaluationRetention()).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void evaluationsMustOutliveTheLongestStatsPeriod() {
        assertThatThrownBy(() -> settings(Duration.ofDays(29), Duration.ofDays(90), Duration.ofDays(30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("evaluation-retention");
    }

    @Test
    void signalsMustBeKeptAsLongAsTheyCount() {
        assertThatThrownBy(() -> settings(Duration.ofDays(90), Duration.ofDays(7), Duration.ofDays(30)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signal-window");
    }

    @Test
    void durationsMustBePositive() {
        assertThatThrownBy(() -> new RiskSettings(Duration.ofDays(90), Duration.ofDays(90), Duration.ofDays(30),
                Duration.ZERO, Duration.ofHours(1), Duration.ofDays(30), Duration.ofHours(24), 100, ChallengeType.MFA))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention-sweep-interval");
    }

    private static RiskSettings settings(Duration evaluations, Duration signals, Duration signalWindow) {
        return new RiskSettings(evaluations, signals, Duration.ofDays(30), Duration.ofHours(1), Duration.ofHours(1),
                signalWindow, Duration.ofHours(24), 100, ChallengeType.MFA);
    }
}
