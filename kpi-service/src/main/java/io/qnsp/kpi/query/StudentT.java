package io.qnsp.kpi.query;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Quantiles of Student's t-distribution, for the confidence interval of a bucket's mean: with n samples, mean m and
 * sample standard deviation s, the two-sided interval at level c is m ± t(c, n − 1) · s / √n, where t(c, ν) is the
 * (1 + c) / 2 quantile of the t-distribution with ν degrees of freedom. Commons Math inverts the distribution
 * function, which it computes from the regularized incomplete beta function, by bracketing and Brent's method to an
 * absolute accuracy of 1e-9.
 */
final class StudentT {

    private StudentT() {
    }

    /** The two-sided critical value t(level, degreesOfFreedom). */
    static double criticalValue(double level, long degreesOfFreedom) {
        if (degreesOfFreedom < 1) {
            throw new IllegalArgumentException("at least one degree of freedom is needed");
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("the level lies strictly between 0 and 1");
        }
        // no random generator is used: inverseCumulativeProbability is deterministic
        return new TDistribution(null, degreesOfFreedom, 1e-12).inverseCumulativeProbability((1 + level) / 2);
    }
}
