package org.spidernet.stats;

import org.apache.commons.statistics.ranking.NaNStrategy;
import org.apache.commons.statistics.ranking.NaturalRanking;
import org.apache.commons.statistics.ranking.TiesStrategy;

/**
 * Spearman's rho: the Pearson correlation of the two variables' ranks, tied values sharing their
 * average rank (the definition SciPy's {@code spearmanr} uses; the 1 - 6 sum d^2 / (n(n^2-1))
 * shortcut is exact only without ties).
 *
 * <p>Undefined (NaN): fewer than two pairs, or a constant variable. NaN inputs and unequal
 * lengths are an {@link IllegalArgumentException}.
 */
public final class SpearmanRho {
    private static final NaturalRanking RANKING = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);

    private SpearmanRho() {
    }

    public static double of(double[] x, double[] y) {
        PairedSamples.check(x, y);
        if (x.length < 2) {
            return Double.NaN;
        }
        return pearson(RANKING.apply(x), RANKING.apply(y));
    }

    private static double pearson(double[] a, double[] b) {
        int n = a.length;
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            double da = a[i] - ma;
            double db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        if (saa == 0 || sbb == 0) {
            return Double.NaN; // a constant variable has no ranking to correlate
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
