package io.qnsp.kpi.query;

import java.util.List;

/**
 * The test's own statistics, computed without PostgreSQL and without Commons Math: the mean and the sample standard
 * deviation in two passes over the raw samples, and Student's t critical values by integrating the t density.
 *
 * <p>With x = √ν·tan θ the t density's integral from 0 to x becomes Γ((ν+1)/2) / (√π·Γ(ν/2)) · ∫₀^θ cos^(ν−1) φ dφ,
 * whose integrand is smooth on [0, π/2): Simpson's rule integrates it, and bisection on θ finds where it reaches
 * level / 2. The gamma ratio follows exactly from Γ(z + 1) = z·Γ(z): r(1) = 1/√π and r(ν + 1) = (ν/2) / r(ν).
 */
public final class IndependentStatistics {

    private static final int SIMPSON_INTERVALS = 2000;

    private IndependentStatistics() {
    }

    public static double mean(List<Double> values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.size();
    }

    /** The sample standard deviation (n − 1 in the denominator), in a second pass around the mean. */
    public static double sampleStandardDeviation(List<Double> values) {
        double mean = mean(values);
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        return Math.sqrt(squares / (values.size() - 1));
    }

    /** The two-sided critical value: P(|T| ≤ t) = level for ν degrees of freedom. */
    public static double tCritical(double level, int degreesOfFreedom) {
        double ratio = 1 / Math.sqrt(Math.PI);
        for (int nu = 1; nu < degreesOfFreedom; nu++) {
            ratio = (nu / 2.0) / ratio;
        }
        double scale = ratio / Math.sqrt(Math.PI);
        double low = 0;
        double high = Math.PI / 2;
        for (int i = 0; i < 80; i++) {
            double middle = (low + high) / 2;
            if (scale * integralOfCosinePower(degreesOfFreedom - 1, middle) < level / 2) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return Math.sqrt(degreesOfFreedom) * Math.tan((low + high) / 2);
    }

    /** ∫₀^θ cos^power φ dφ by the composite Simpson rule. */
    private static double integralOfCosinePower(int power, double theta) {
        double h = theta / SIMPSON_INTERVALS;
        double sum = 1 + Math.pow(Math.cos(theta), power);
        for (int i = 1; i < SIMPSON_INTERVALS; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * Math.pow(Math.cos(i * h), power);
        }
        return sum * h / 3;
    }
}
