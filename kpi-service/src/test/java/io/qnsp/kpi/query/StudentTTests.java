package io.qnsp.kpi.query;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The service's t critical values against a printed t-table and against the test's own numerical integration; the
 * integration itself is first checked against the table.
 */
class StudentTTests {

    /** Two-sided critical values from a standard t-table: level, degrees of freedom, value (4 decimals). */
    static final double[][] TABLE = {
            {0.95, 1, 12.7062}, {0.95, 2, 4.3027}, {0.95, 3, 3.1824}, {0.95, 5, 2.5706}, {0.95, 10, 2.2281},
            {0.95, 20, 2.0860}, {0.95, 30, 2.0423}, {0.99, 1, 63.6567}, {0.99, 4, 4.6041}, {0.99, 10, 3.1693},
            {0.90, 5, 2.0150}, {0.90, 60, 1.6706}, {0.80, 8, 1.3968}};

    @Test
    void theIndependentIntegrationReproducesTheTable() {
        for (double[] row : TABLE) {
            assertThat(IndependentStatistics.tCritical(row[0], (int) row[1])).as("t(%s, %s)", row[0], row[1])
                    .isCloseTo(row[2], within(6e-5));
        }
    }

    @Test
    void theServiceMatchesTheTable() {
        for (double[] row : TABLE) {
            assertThat(StudentT.criticalValue(row[0], (long) row[1])).as("t(%s, %s)", row[0], row[1])
                    .isCloseTo(row[2], within(6e-5));
        }
    }

    @Test
    void theServiceMatchesTheIndependentIntegrationClosely() {
        for (double level : new double[]{0.5, 0.8, 0.9, 0.95, 0.975, 0.99, 0.999}) {
            for (int df : new int[]{1, 2, 3, 4, 7, 12, 25, 49, 100, 250}) {
                double expected = IndependentStatistics.tCritical(level, df);
                assertThat(StudentT.criticalValue(level, df)).as("t(%s, %s)", level, df)
                        .isCloseTo(expected, within(1e-8 * Math.max(1, expected)));
            }
        }
    }

    @Test
    void refusesWhatHasNoQuantile() {
        assertThatThrownBy(() -> StudentT.criticalValue(0.95, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StudentT.criticalValue(1.0, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
