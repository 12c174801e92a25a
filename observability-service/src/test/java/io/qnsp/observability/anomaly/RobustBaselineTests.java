package io.qnsp.observability.anomaly;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RobustBaselineTests {

    @Test
    void medianAndMadIgnoreAnOutlier() {
        RobustBaseline baseline = RobustBaseline.of(List.of(10.0, 12.0, 11.0, 13.0, 9.0, 500.0), 1.0);
        assertThat(baseline.median()).isEqualTo(11.5);
        // deviations 1.5, 0.5, 0.5, 1.5, 2.5, 488.5: their median is 1.5
        assertThat(baseline.mad()).isEqualTo(1.5);
        assertThat(baseline.spread()).isCloseTo(1.4826 * 1.5, within(1e-9));
        assertThat(baseline.score(20)).isCloseTo((20 - 11.5) / (1.4826 * 1.5), within(1e-9));
    }

    @Test
    void aMostlyFlatHistoryFallsBackToTheMeanAbsoluteDeviation() {
        RobustBaseline baseline = RobustBaseline.of(List.of(0.0, 0.0, 0.0, 0.1), 0.01);
        assertThat(baseline.mad()).isZero();
        assertThat(baseline.spread()).isCloseTo(1.2533 * 0.025, within(1e-9));
    }

    @Test
    void aPerfectlyFlatHistoryHasTheMetricsResolutionAsSpread() {
        RobustBaseline baseline = RobustBaseline.of(List.of(5.0, 5.0, 5.0), 1.0);
        assertThat(baseline.spread()).isEqualTo(1.0);
        assertThat(baseline.score(8)).isEqualTo(3.0);
    }
}
