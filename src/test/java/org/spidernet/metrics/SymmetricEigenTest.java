package org.spidernet.metrics;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Jacobi solver on matrices with a known spectrum, A = Q diag(lambda) Q^T with Q a random
 * orthogonal matrix (Gram-Schmidt of a Gaussian matrix), and against power and inverse iteration
 * on a Gram matrix like the NTK's. Tolerances: building A rounds each entry by about
 * n * eps * lambda_max, which moves every eigenvalue by up to n times that, so known spectra must
 * agree to 1e-12 * n * lambda_max; on a matrix both methods see exactly, the extreme eigenvalues
 * must agree to 1e-9 relative (condition number about 1e4, so both are good to about 1e-12).
 */
class SymmetricEigenTest {

    @Test
    void positiveDefiniteSpectrumSpanningSixOrders() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        int n = 40;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = Math.pow(10, -3 + 6.0 * r.nextDouble());
        }
        double[] got = SymmetricEigen.eigenvalues(compose(orthogonal(n, r), lambda));
        Arrays.sort(lambda);
        double atol = 1e-12 * n * lambda[n - 1];
        for (int i = 0; i < n; i++) {
            assertEquals(lambda[i], got[i], atol, "seed " + seed + " eigenvalue " + i);
        }
    }

    @Test
    void extremeEigenvaluesOfAGramMatrixMatchPowerAndInverseIteration() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        int n = 24;
        double[][] j = new double[n][200];
        for (double[] row : j) {
            double scale = Math.exp(r.nextGaussian());
            for (int k = 0; k < row.length; k++) {
                row[k] = scale * r.nextGaussian();
            }
        }
        double[][] g = DenseReference.gram(j);
        double[] got = SymmetricEigen.eigenvalues(g);
        double max = DenseReference.largestEigenvalue(g, seed);
        double min = DenseReference.smallestEigenvalue(g, seed);
        assertTrue(Fixtures.close(max, got[n - 1], 1e-9, 0), "seed " + seed + ": max " + got[n - 1] + " vs " + max);
        assertTrue(Fixtures.close(min, got[0], 1e-9, 0), "seed " + seed + ": min " + got[0] + " vs " + min);
    }

    @Test
    void indefiniteWithRepeatedEigenvalues() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        double[] lambda = {-3, -3, -1e-3, 0, 0, 2.5, 7, 7, 7, 100};
        double[] got = SymmetricEigen.eigenvalues(compose(orthogonal(lambda.length, r), lambda));
        for (int i = 0; i < lambda.length; i++) {
            assertEquals(lambda[i], got[i], 1e-12 * 100, "seed " + seed + " eigenvalue " + i);
        }
    }

    @Test
    void diagonalAndTinyAndNonFiniteMatrices() {
        assertEquals(5.0, SymmetricEigen.eigenvalues(new double[][]{{5}})[0]);
        double[] two = SymmetricEigen.eigenvalues(new double[][]{{2, 1}, {1, 2}});
        assertEquals(1.0, two[0], 1e-15);
        assertEquals(3.0, two[1], 1e-15);
        double[] nan = SymmetricEigen.eigenvalues(new double[][]{{1, Double.POSITIVE_INFINITY}, {0, 1}});
        assertTrue(Double.isNaN(nan[0]) && Double.isNaN(nan[1]));
        assertEquals(0, SymmetricEigen.eigenvalues(new double[0][0]).length);
    }

    static double[][] orthogonal(int n, Random r) {
        double[][] q = new double[n][n];
        for (int j = 0; j < n; j++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = r.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) { // twice is enough (Kahan's "twice is enough")
                for (int k = 0; k < j; k++) {
                    double d = 0;
                    for (int i = 0; i < n; i++) {
                        d += v[i] * q[i][k];
                    }
                    for (int i = 0; i < n; i++) {
                        v[i] -= d * q[i][k];
                    }
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i][j] = v[i] / norm;
            }
        }
        return q;
    }

    static double[][] compose(double[][] q, double[] lambda) {
        int n = lambda.length;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[i][k] * lambda[k] * q[j][k];
                }
                a[i][j] = s;
            }
        }
        for (int i = 0; i < n; i++) { // exactly symmetric
            for (int j = 0; j < i; j++) {
                a[i][j] = a[j][i];
            }
        }
        return a;
    }
}
