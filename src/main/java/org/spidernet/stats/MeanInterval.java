package org.spidernet.stats;

import org.apache.commons.statistics.distribution.TDistribution;

/**
 * The mean of a sample with its Student-t confidence interval: mean &plusmn; t<sub>(1+level)/2,
 * n-1</sub> &middot; s / &radic;n, with s the sample standard deviation (divisor n-1). It assumes
 * the values are independent draws from a roughly normal distribution; with a handful of seeds
 * that is an assumption, not a finding. One value gives the mean with NaN bounds (no spread to
 * estimate).
 */
public final class MeanInterval {
    /** The level the experiment tables report. */
    public static final double LEVEL = 0.95;

    private MeanInterval() {
    }

    /** The mean of {@code values} with its 95% t interval. */
    public static Interval of(double[] values) {
        return of(values, LEVEL);
    }

    /**
     * The mean of {@code values} with its t interval at {@code level}.
     *
     * @throws IllegalArgumentException for no values or a value that is not finite
     */
    public static Interval of(double[] values, double level) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("a mean needs at least one value");
        }
        double sum = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("values must be finite, got " + v);
            }
            sum += v;
        }
        double mean = sum / n;
        if (n == 1) {
            return new Interval(mean, Double.NaN, Double.NaN, level);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(squares / (n - 1));
        double t = TDistribution.of(n - 1).inverseCumulativeProbability((1 + level) / 2);
        double half = t * sd / Math.sqrt(n);
        return new Interval(mean, mean - half, mean + half, level);
    }
}
