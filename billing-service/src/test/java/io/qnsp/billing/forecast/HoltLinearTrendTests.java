package io.qnsp.billing.forecast;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Holt's linear trend on synthetic series whose trend is known. */
class HoltLinearTrendTests {

    static final double Z95 = HoltLinearTrend.normalQuantile(0.975);

    @Test
    void aStraightLineIsRecoveredExactlyWithNoUncertainty() {
        double[] series = new double[60];
        for (int t = 0; t < series.length; t++) {
            series[t] = 50 + 3 * t;
        }
        HoltLinearTrend.Fit fit = HoltLinearTrend.fit(series);
        assertThat(fit.trend()).isCloseTo(3, within(1e-9));
        assertThat(fit.level()).isCloseTo(50 + 3 * 59, within(1e-9));
        assertThat(fit.residualStdDev()).isCloseTo(0, within(1e-9));
        assertThat(fit.forecast(30)).isCloseTo(50 + 3 * 89, within(1e-9));
        assertThat(fit.forecastStdDev(30)).isCloseTo(0, within(1e-9));
    }

    /**
     * y = 100 + 2.5 t + N(0, 8²) over 90 days, 200 series: the value the trend line reaches 30 days on lies within
     * the 95% prediction interval at least 95% of the time, a new noisy observation there at least 90% of the time
     * (the interval does not account for the parameters being estimated), and the fitted trend is close to 2.5.
     */
    @Test
    void aNoisyTrendIsRecoveredWithinTheStatedConfidence() {
        int runs = 200;
        int coveredTrueMean = 0;
        int coveredNewObservation = 0;
        double trendError = 0;
        for (int seed = 1; seed <= runs; seed++) {
            Random noise = new Random(seed);
            double[] series = new double[90];
            for (int t = 0; t < series.length; t++) {
                series[t] = 100 + 2.5 * t + 8 * noise.nextGaussian();
            }
            HoltLinearTrend.Fit fit = HoltLinearTrend.fit(series);
            int h = 30;
            double truth = 100 + 2.5 * (89 + h);
            double half = Z95 * fit.forecastStdDev(h);
            if (Math.abs(fit.forecast(h) - truth) <= half) {
                coveredTrueMean++;
            }
            if (Math.abs(fit.forecast(h) - (truth + 8 * noise.nextGaussian())) <= half) {
                coveredNewObservation++;
            }
            trendError += Math.abs(fit.trend() - 2.5);
            // the one-step errors estimate the noise
            assertThat(fit.residualStdDev()).isBetween(6.0, 11.0);
        }
        assertThat(coveredTrueMean).isGreaterThanOrEqualTo(runs * 95 / 100);
        assertThat(coveredNewObservation).isGreaterThanOrEqualTo(runs * 90 / 100);
        assertThat(trendError / runs).isLessThan(0.2);
    }

    @Test
    void aFallingTrendIsRecoveredToo() {
        double[] series = new double[40];
        Random noise = new Random(7);
        for (int t = 0; t < series.length; t++) {
            series[t] = 1000 - 12 * t + 3 * noise.nextGaussian();
        }
        HoltLinearTrend.Fit fit = HoltLinearTrend.fit(series);
        assertThat(fit.trend()).isCloseTo(-12, within(1.5));
        double truth = 1000 - 12 * (39 + 10);
        assertThat(Math.abs(fit.forecast(10) - truth)).isLessThanOrEqualTo(Z95 * fit.forecastStdDev(10));
        assertThat(fit.alpha()).isBetween(0.0, 1.0);
        assertThat(fit.betaStar()).isBetween(0.0, 1.0);
    }

    @Test
    void theIntervalWidensWithTheHorizon() {
        double[] series = new double[50];
        Random noise = new Random(3);
        for (int t = 0; t < series.length; t++) {
            series[t] = 20 + t + 4 * noise.nextGaussian();
        }
        HoltLinearTrend.Fit fit = HoltLinearTrend.fit(series);
        assertThat(fit.forecastStdDev(1)).isCloseTo(fit.residualStdDev(), within(1e-12));
        assertThat(fit.forecastStdDev(10)).isGreaterThan(fit.forecastStdDev(2));
        assertThat(fit.forecastStdDev(60)).isGreaterThan(fit.forecastStdDev(10));
    }

    @Test
    void tooShortASeriesIsRefused() {
        assertThatThrownBy(() -> HoltLinearTrend.fit(new double[]{1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theNormalQuantileIsAccurate() {
        assertThat(HoltLinearTrend.normalQuantile(0.975)).isCloseTo(1.959963985, within(1e-8));
        assertThat(HoltLinearTrend.normalQuantile(0.5)).isCloseTo(0, within(1e-12));
        assertThat(HoltLinearTrend.normalQuantile(0.005)).isCloseTo(-2.575829304, within(1e-8));
        assertThat(HoltLinearTrend.normalQuantile(0.9)).isCloseTo(1.281551566, within(1e-8));
    }
}
