package org.spidernet.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap interval of a statistic of paired samples (x_i, y_i) (Efron and Tibshirani
 * 1993, ch. 13): {@code resamples} times, draw n indices with replacement from one seeded
 * generator, evaluate the statistic on the resampled pairs; the bounds are the (1 - level)/2 and
 * (1 + level)/2 quantiles of those values (linear interpolation between order statistics), the
 * estimate is the statistic on the sample itself. Same seed and inputs, same interval.
 *
 * <p>A resample on which the statistic is undefined (NaN: a rank correlation of a resample whose
 * values are all equal) is left out of the quantiles; when more than half are, or the estimate
 * itself is NaN, or n &lt; 2, the bounds are NaN. NaN inputs and unequal lengths are an
 * {@link IllegalArgumentException}.
 *
 * @param resamples B, at least {@value #MIN_RESAMPLES}
 * @param level     the confidence level, in (0, 1)
 * @param seed      the only source of randomness
 */
public record Bootstrap(int resamples, double level, long seed) {
    public static final int RESAMPLES = 2000;
    public static final double LEVEL = 0.95;
    /** Fewer would put the 95% bounds on the extreme resamples. */
    public static final int MIN_RESAMPLES = 100;

    /** A statistic of paired samples of equal length, such as {@link KendallTau#of}. */
    @FunctionalInterface
    public interface PairedStatistic {
        double of(double[] x, double[] y);
    }

    public Bootstrap {
        if (resamples < MIN_RESAMPLES) {
            throw new IllegalArgumentException("bootstrap resamples must be >= " + MIN_RESAMPLES + ", got " + resamples);
        }
        Interval.checkLevel(level);
    }

    /** The defaults (2000 resamples, 95%) with an explicit seed. */
    public static Bootstrap seeded(long seed) {
        return new Bootstrap(RESAMPLES, LEVEL, seed);
    }

    public Interval interval(double[] x, double[] y, PairedStatistic statistic) {
        PairedSamples.check(x, y);
        int n = x.length;
        double estimate = statistic.of(x, y);
        if (n < 2 || Double.isNaN(estimate)) {
            return new Interval(estimate, Double.NaN, Double.NaN, level);
        }
        SplittableRandom r = new SplittableRandom(seed);
        double[] values = new double[resamples];
        double[] xs = new double[n];
        double[] ys = new double[n];
        int defined = 0;
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < n; i++) {
                int j = r.nextInt(n);
                xs[i] = x[j];
                ys[i] = y[j];
            }
            double v = statistic.of(xs, ys);
            if (!Double.isNaN(v)) {
                values[defined++] = v;
            }
        }
        if (defined * 2 < resamples) {
            return new Interval(estimate, Double.NaN, Double.NaN, level);
        }
        double[] sorted = Arrays.copyOf(values, defined);
        Arrays.sort(sorted);
        return new Interval(estimate, quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2), level);
    }

    /** The p-quantile of sorted values, interpolating linearly between order statistics (R's type 7). */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        if (lo + 1 >= sorted.length) {
            return sorted[sorted.length - 1];
        }
        return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }
}
