package io.qnsp.billing.forecast;

/**
 * Holt's linear trend method (double exponential smoothing) with its smoothing parameters fitted to the series by
 * least squares on the one-step-ahead errors, and prediction intervals from the residuals under the equivalent
 * state-space model ETS(A,A,N) (Hyndman and Athanasopoulos, <i>Forecasting: Principles and Practice</i>, 3rd ed.,
 * §8.7): the h-step variance is {@code σ²[1 + (h−1){α² + αβh + β²h(2h−1)/6}]} with {@code β = α·β*}.
 */
public final class HoltLinearTrend {

    /** The fewest observations a fit takes: two to start the level and trend, and errors to judge them by. */
    public static final int MIN_OBSERVATIONS = 4;

    private static final double COARSE_STEP = 0.05;
    private static final double FINE_STEP = 0.01;

    private HoltLinearTrend() {
    }

    /**
     * A fitted model.
     *
     * @param alpha          level smoothing
     * @param betaStar       trend smoothing
     * @param level          the smoothed level at the last observation
     * @param trend          the smoothed trend per step at the last observation
     * @param residualStdDev the standard deviation of the one-step-ahead errors
     * @param observations   the length of the series
     */
    public record Fit(double alpha, double betaStar, double level, double trend, double residualStdDev,
                      int observations) {

        /** The forecast {@code h} steps after the last observation. */
        public double forecast(int h) {
            return level + h * trend;
        }

        /** The standard deviation of the error of the forecast {@code h} steps ahead. */
        public double forecastStdDev(int h) {
            double beta = alpha * betaStar;
            double factor = 1 + (h - 1) * (alpha * alpha + alpha * beta * h + beta * beta * h * (2.0 * h - 1) / 6);
            return residualStdDev * Math.sqrt(factor);
        }
    }

    /**
     * Fits the method to the series: a coarse grid over both parameters, then a finer one around the best.
     *
     * @throws IllegalArgumentException with fewer than {@link #MIN_OBSERVATIONS} observations
     */
    public static Fit fit(double[] series) {
        if (series.length < MIN_OBSERVATIONS) {
            throw new IllegalArgumentException("Holt's method needs at least " + MIN_OBSERVATIONS + " observations");
        }
        double bestAlpha = COARSE_STEP;
        double bestBeta = COARSE_STEP;
        double bestSse = Double.POSITIVE_INFINITY;
        for (double a = COARSE_STEP; a < 1; a += COARSE_STEP) {
            for (double b = COARSE_STEP; b < 1; b += COARSE_STEP) {
                double sse = run(series, a, b).sse;
                if (sse < bestSse - 1e-12) {
                    bestSse = sse;
                    bestAlpha = a;
                    bestBeta = b;
                }
            }
        }
        double centreAlpha = bestAlpha;
        double centreBeta = bestBeta;
        for (double a = centreAlpha - COARSE_STEP; a <= centreAlpha + COARSE_STEP + 1e-9; a += FINE_STEP) {
            for (double b = centreBeta - COARSE_STEP; b <= centreBeta + COARSE_STEP + 1e-9; b += FINE_STEP) {
                if (a <= 0 || a >= 1 || b <= 0 || b >= 1) {
                    continue;
                }
                double sse = run(series, a, b).sse;
                if (sse < bestSse - 1e-12) {
                    bestSse = sse;
                    bestAlpha = a;
                    bestBeta = b;
                }
            }
        }
        State state = run(series, bestAlpha, bestBeta);
        // one-step errors from the second observation on; two smoothing parameters were fitted to them
        int errors = series.length - 1;
        double variance = state.sse / Math.max(1, errors - 2);
        return new Fit(bestAlpha, bestBeta, state.level, state.trend, Math.sqrt(variance),
                series.length);
    }

    private record State(double level, double trend, double sse) {
    }

    private static State run(double[] y, double alpha, double betaStar) {
        double[] start = initialState(y);
        double level = start[0];
        double trend = start[1];
        double sse = 0;
        for (int t = 1; t < y.length; t++) {
            double predicted = level + trend;
            double error = y[t] - predicted;
            sse += error * error;
            double previous = level;
            level = alpha * y[t] + (1 - alpha) * predicted;
            trend = betaStar * (level - previous) + (1 - betaStar) * trend;
        }
        return new State(level, trend, sse);
    }

    /**
     * The level and trend the smoothing starts from: the least-squares line through the first half of the series
     * (at least four observations), read at the first observation. A start from the first two observations alone
     * would carry their noise into the trend for as long as the trend smoothing is slow.
     */
    static double[] initialState(double[] y) {
        int m = Math.max(MIN_OBSERVATIONS, y.length / 2);
        m = Math.min(m, y.length);
        double meanT = (m - 1) / 2.0;
        double meanY = 0;
        for (int t = 0; t < m; t++) {
            meanY += y[t];
        }
        meanY /= m;
        double covariance = 0;
        double variance = 0;
        for (int t = 0; t < m; t++) {
            covariance += (t - meanT) * (y[t] - meanY);
            variance += (t - meanT) * (t - meanT);
        }
        double slope = covariance / variance;
        return new double[]{meanY - slope * meanT, slope};
    }

    /**
     * The standard normal quantile: the {@code z} with {@code P(Z ≤ z) = p}, by Acklam's rational approximation
     * (relative error below 1.15e-9).
     */
    public static double normalQuantile(double p) {
        if (p <= 0 || p >= 1) {
            throw new IllegalArgumentException("p must be between 0 and 1");
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
