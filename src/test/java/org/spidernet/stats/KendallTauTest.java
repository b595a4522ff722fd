package org.spidernet.stats;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KendallTauTest {
    private static final double TOL = 1e-12;

    /** tau-b by its definition: every pair classified, O(n^2); independent of the merge-sort count. */
    private static double bruteForce(double[] x, double[] y) {
        long c = 0;
        long d = 0;
        long tx = 0;
        long ty = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                double s = Math.signum(x[i] - x[j]) * Math.signum(y[i] - y[j]);
                if (x[i] == x[j]) {
                    tx++;
                }
                if (y[i] == y[j]) {
                    ty++;
                }
                if (s > 0) {
                    c++;
                } else if (s < 0) {
                    d++;
                }
            }
        }
        long n0 = (long) x.length * (x.length - 1) / 2;
        return (c - d) / Math.sqrt((double) (n0 - tx) * (n0 - ty));
    }

    @Test
    void matchesThePairCountOnRandomSamplesWithTies() {
        Random r = new Random(); // fresh inputs every run
        for (int trial = 0; trial < 300; trial++) {
            int n = 2 + r.nextInt(80);
            int levels = 1 + r.nextInt(8); // few levels: many ties in x, in y and in both
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.nextInt(levels + 2);
                y[i] = r.nextBoolean() ? x[i] + r.nextInt(levels) : r.nextInt(levels + 1);
            }
            double expected = bruteForce(x, y);
            double got = KendallTau.of(x, y);
            if (Double.isNaN(expected)) {
                assertTrue(Double.isNaN(got), "constant variable: NaN expected, got " + got);
            } else {
                assertEquals(expected, got, TOL, "n=" + n);
            }
        }
    }

    @Test
    void publishedWorkedExampleWithTies() {
        // SciPy's kendalltau documentation example: statistic -0.47140452079103173.
        // By hand: C=2, D=6, 10 pairs, 2 tied in x, 1 in y: -4 / sqrt(8 * 9).
        double tau = KendallTau.of(new double[]{12, 2, 1, 12, 2}, new double[]{1, 4, 7, 1, 0});
        assertEquals(-0.47140452079103173, tau, TOL);
        assertEquals(-4 / Math.sqrt(72), tau, TOL);
    }

    @Test
    void perfectAgreementAndReversal() {
        double[] x = {3, 1, 4, 1.5, 9, 2.6};
        double[] up = {30, 10, 40, 15, 90, 26};
        double[] down = {-3, -1, -4, -1.5, -9, -2.6};
        assertEquals(1.0, KendallTau.of(x, up), TOL);
        assertEquals(-1.0, KendallTau.of(x, down), TOL);
    }

    @Test
    void degenerateCasesAreNaNOrNamedErrors() {
        assertTrue(Double.isNaN(KendallTau.of(new double[]{1}, new double[]{2})));
        assertTrue(Double.isNaN(KendallTau.of(new double[]{}, new double[]{})));
        assertTrue(Double.isNaN(KendallTau.of(new double[]{1, 2, 3}, new double[]{5, 5, 5})));
        var e = assertThrows(IllegalArgumentException.class,
                () -> KendallTau.of(new double[]{1, Double.NaN}, new double[]{1, 2}));
        assertTrue(e.getMessage().contains("x[1] is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KendallTau.of(new double[]{1, 2}, new double[]{1}));
        assertTrue(e.getMessage().contains("length"), e.getMessage());
    }
}
