package org.spidernet.metrics;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * slogdet against determinants known by construction: A = P L U with unit-lower L, upper U of a
 * chosen diagonal and a permutation P of known parity, so sign and log|det| are exact sums.
 * Tolerance 1e-10 relative to the sum of |log u_ii|: LU of a well-conditioned product in float64.
 */
class LogDeterminantTest {

    @Test
    void productOfTriangularFactorsAndAPermutation() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        int n = 30;
        double[][] l = new double[n][n];
        double[][] u = new double[n][n];
        double expectedLog = 0;
        double scale = 0;
        double expectedSign = 1;
        for (int i = 0; i < n; i++) {
            l[i][i] = 1;
            for (int j = 0; j < i; j++) {
                l[i][j] = 0.3 * r.nextGaussian();
            }
            double d = (r.nextBoolean() ? 1 : -1) * Math.exp(3 * r.nextGaussian());
            u[i][i] = d;
            expectedLog += Math.log(Math.abs(d));
            scale += Math.abs(Math.log(Math.abs(d)));
            expectedSign *= Math.signum(d);
            for (int j = i + 1; j < n; j++) {
                u[i][j] = 0.3 * r.nextGaussian() * Math.abs(d);
            }
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += l[i][k] * u[k][j];
                }
                a[i][j] = s;
            }
        }
        // swap two rows: the sign flips
        double[] t = a[3];
        a[3] = a[17];
        a[17] = t;
        expectedSign = -expectedSign;

        LogDeterminant ld = LogDeterminant.of(a);
        assertEquals(expectedSign, ld.sign(), "seed " + seed);
        assertEquals(expectedLog, ld.logAbs(), 1e-10 * scale, "seed " + seed);
    }

    @Test
    void determinantBeyondDoubleRangeStaysFinite() {
        int n = 200;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i][i] = 1e5;
            if (i > 0) {
                a[i][i - 1] = 1; // not diagonal, so elimination has work to do
            }
        }
        LogDeterminant ld = LogDeterminant.of(a);
        assertEquals(1.0, ld.sign());
        assertEquals(n * Math.log(1e5), ld.logAbs(), 1e-9);
    }

    @Test
    void singularAndNonFinite() {
        LogDeterminant singular = LogDeterminant.of(new double[][]{{2, 4, 1}, {2, 4, 1}, {0, 1, 3}});
        assertEquals(0.0, singular.sign());
        assertEquals(Double.NEGATIVE_INFINITY, singular.logAbs());
        assertTrue(Double.isNaN(LogDeterminant.of(new double[][]{{Double.NaN}}).logAbs()));
        LogDeterminant two = LogDeterminant.of(new double[][]{{0, 2}, {3, 0}});
        assertEquals(-1.0, two.sign());
        assertEquals(Math.log(6), two.logAbs(), 1e-15);
    }
}
