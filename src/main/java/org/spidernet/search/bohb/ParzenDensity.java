package org.spidernet.search.bohb;

import org.apache.commons.statistics.distribution.NormalDistribution;

import java.util.List;
import java.util.Random;

/**
 * A product Parzen (kernel density) estimate on [0, 1]^d: the mean of one Gaussian kernel per
 * point, independent across coordinates, with one bandwidth per coordinate. TPE fits one to the
 * good and one to the bad observations.
 *
 * <p>Bandwidths follow Scott's rule, h_j = sigma_j n^(-1/(d+4)) with sigma_j the sample standard
 * deviation of coordinate j, floored at a minimum (BOHB: 1e-3) so that a coordinate on which all
 * points agree still has a density rather than a spike. The density itself is not truncated to
 * the cube (as in BOHB, which uses statsmodels' untruncated KDE); only sampling is.
 */
public final class ParzenDensity {
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private final double[][] centres;
    private final double[] bandwidths;

    private ParzenDensity(double[][] centres, double[] bandwidths) {
        this.centres = centres;
        this.bandwidths = bandwidths;
    }

    /** Fits the estimate to the points, all of one dimension, with Scott's bandwidths floored at minBandwidth. */
    public static ParzenDensity fit(List<Point> points, double minBandwidth) {
        if (points == null || points.isEmpty()) {
            throw new IllegalArgumentException("points must contain at least one point");
        }
        if (!(minBandwidth > 0) || !Double.isFinite(minBandwidth)) {
            throw new IllegalArgumentException("minBandwidth must be > 0 and finite, got " + minBandwidth);
        }
        int n = points.size();
        int d = points.get(0).dimension();
        double[][] c = new double[n][];
        for (int k = 0; k < n; k++) {
            if (points.get(k).dimension() != d) {
                throw new IllegalArgumentException("points: point " + k + " has " + points.get(k).dimension()
                        + " coordinates, point 0 has " + d);
            }
            c[k] = points.get(k).coordinates();
        }
        double scott = Math.pow(n, -1.0 / (d + 4));
        double[] h = new double[d];
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (double[] x : c) {
                mean += x[j];
            }
            mean /= n;
            double ss = 0;
            for (double[] x : c) {
                ss += (x[j] - mean) * (x[j] - mean);
            }
            double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
            h[j] = Math.max(minBandwidth, sd * scott);
        }
        return new ParzenDensity(c, h);
    }

    public int dimension() {
        return bandwidths.length;
    }

    public int size() {
        return centres.length;
    }

    /** The bandwidth of coordinate j. */
    public double bandwidth(int j) {
        return bandwidths[j];
    }

    /**
     * The natural logarithm of the density at x, summed in log space (log-sum-exp) so that points
     * far from every kernel in 8 dimensions keep a finite, comparable value instead of 0.
     */
    public double logDensity(Point x) {
        if (x.dimension() != dimension()) {
            throw new IllegalArgumentException("point has " + x.dimension() + " coordinates, the density has "
                    + dimension());
        }
        double logNorm = 0;
        for (double h : bandwidths) {
            logNorm -= Math.log(h) + LOG_SQRT_2PI;
        }
        double[] terms = new double[centres.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < centres.length; k++) {
            double q = 0;
            for (int j = 0; j < bandwidths.length; j++) {
                double z = (x.coordinate(j) - centres[k][j]) / bandwidths[j];
                q += z * z;
            }
            terms[k] = -0.5 * q;
            max = Math.max(max, terms[k]);
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return logNorm + max + Math.log(sum / centres.length);
    }

    /**
     * A draw from the estimate with every bandwidth multiplied by factor, each coordinate truncated
     * to [0, 1]: a uniformly chosen kernel, then per coordinate a truncated normal by inverting its
     * CDF. Uses exactly 1 + d random numbers.
     */
    public Point sample(Random random, double factor) {
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("factor must be > 0 and finite, got " + factor);
        }
        double[] centre = centres[random.nextInt(centres.length)];
        double[] x = new double[bandwidths.length];
        for (int j = 0; j < x.length; j++) {
            double s = bandwidths[j] * factor;
            // The centre lies in [0, 1], so lo <= 1/2 <= hi: the interval never sits in a tail where
            // the CDF values would be indistinguishable.
            double lo = STANDARD_NORMAL.cumulativeProbability((0 - centre[j]) / s);
            double hi = STANDARD_NORMAL.cumulativeProbability((1 - centre[j]) / s);
            double p = lo + random.nextDouble() * (hi - lo);
            double v = centre[j] + s * STANDARD_NORMAL.inverseCumulativeProbability(p);
            x[j] = Math.min(1, Math.max(0, v));
        }
        return new Point(x);
    }
}
