package org.spidernet.stats;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpearmanRhoTest {
    private static final double TOL = 1e-12;

    /** Average ranks by counting: 1 + #smaller + (#equal - 1) / 2. */
    private static double[] averageRanks(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            int less = 0;
            int equal = 0;
            for (double w : v) {
                if (w < v[i]) {
                    less++;
                } else if (w == v[i]) {
                    equal++;
                }
            }
            r[i] = 1 + less + (equal - 1) / 2.0;
        }
        return r;
    }

    /** Pearson's r written out in the textbook's sums form (n sum ab - sum a sum b) / sqrt(...). */
    private static double pearson(double[] a, double[] b) {
        double n = a.length;
        double sa = 0;
        double sb = 0;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sa += a[i];
            sb += b[i];
            sab += a[i] * b[i];
            saa += a[i] * a[i];
            sbb += b[i] * b[i];
        }
        return (n * sab - sa * sb) / Math.sqrt((n * saa - sa * sa) * (n * sbb - sb * sb));
    }

    @Test
    void matchesPearsonOfAverageRanksOnRandomSamplesWithTies() {
        Random r = new Random(); // fresh inputs every run
        for (int trial = 0; trial < 300; trial++) {
            int n = 3 + r.nextInt(60);
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.nextInt(6);
                y[i] = r.nextBoolean() ? x[i] * 2 + r.nextInt(3) : r.nextGaussian();
            }
            double expected = pearson(averageRanks(x), averageRanks(y));
            double got = SpearmanRho.of(x, y);
            if (Double.isNaN(expected)) {
                assertTrue(Double.isNaN(got), "constant variable: NaN expected, got " + got);
            } else {
                assertEquals(expected, got, 1e-10, "n=" + n); // sums of squares of ranks up to ~1e5: 1e-10 is ample
            }
        }
    }

    @Test
    void textbookExampleWithoutTies() {
        // Wikipedia, "Spearman's rank correlation coefficient", IQ vs hours of TV: rho = -29/165.
        double[] iq = {106, 100, 86, 101, 99, 103, 97, 113, 112, 110};
        double[] tv = {7, 27, 2, 50, 28, 29, 20, 12, 6, 17};
        assertEquals(-29.0 / 165, SpearmanRho.of(iq, tv), TOL);
    }

    @Test
    void publishedExampleWithTies() {
        // SciPy's spearmanr documentation: spearmanr([1,2,3,4,5], [5,6,7,8,7]) = 0.8207826816681233
        assertEquals(0.8207826816681233, SpearmanRho.of(new double[]{1, 2, 3, 4, 5}, new double[]{5, 6, 7, 8, 7}),
                TOL);
    }

    @Test
    void degenerateCasesAreNaNOrNamedErrors() {
        assertTrue(Double.isNaN(SpearmanRho.of(new double[]{1}, new double[]{2})));
        assertTrue(Double.isNaN(SpearmanRho.of(new double[]{4, 4, 4}, new double[]{1, 2, 3})));
        var e = assertThrows(IllegalArgumentException.class,
                () -> SpearmanRho.of(new double[]{1, 2}, new double[]{Double.NaN, 2}));
        assertTrue(e.getMessage().contains("y[0] is NaN"), e.getMessage());
    }
}
