package org.spidernet.metrics;

import java.util.Random;

/**
 * Test-side linear algebra written independently of the metrics' solvers: Cholesky factorisation,
 * log-determinant and inverse from it, and extreme eigenvalues of a symmetric positive definite
 * matrix by power iteration (largest) and inverse iteration (smallest).
 */
final class DenseReference {
    private DenseReference() {
    }

    /** Lower-triangular L with A = L L^T; throws if A is not positive definite. */
    static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int j = 0; j < n; j++) {
            double d = a[j][j];
            for (int k = 0; k < j; k++) {
                d -= l[j][k] * l[j][k];
            }
            if (!(d > 0)) {
                throw new ArithmeticException("not positive definite at pivot " + j + ": " + d);
            }
            l[j][j] = Math.sqrt(d);
            for (int i = j + 1; i < n; i++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                l[i][j] = s / l[j][j];
            }
        }
        return l;
    }

    static double logDetSpd(double[][] a) {
        double[][] l = cholesky(a);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += 2 * Math.log(l[i][i]);
        }
        return s;
    }

    /** Solves L L^T x = b. */
    static double[] solve(double[][] l, double[] b) {
        int n = b.length;
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k][i] * x[k];
            }
            x[i] = s / l[i][i];
        }
        return x;
    }

    /** trace(A^-1) of an SPD matrix, column by column. */
    static double traceOfInverse(double[][] a) {
        double[][] l = cholesky(a);
        double t = 0;
        for (int j = 0; j < a.length; j++) {
            double[] e = new double[a.length];
            e[j] = 1;
            t += solve(l, e)[j];
        }
        return t;
    }

    /** J J^T, plainly. */
    static double[][] gram(double[][] j) {
        int n = j.length;
        double[][] g = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int c = 0; c < n; c++) {
                double s = 0;
                for (int k = 0; k < j[a].length; k++) {
                    s += j[a][k] * j[c][k];
                }
                g[a][c] = s;
            }
        }
        return g;
    }

    static double[] multiply(double[][] a, double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double s = 0;
            for (int j = 0; j < v.length; j++) {
                s += a[i][j] * v[j];
            }
            out[i] = s;
        }
        return out;
    }

    private static double normalise(double[] v) {
        double n = 0;
        for (double x : v) {
            n += x * x;
        }
        n = Math.sqrt(n);
        for (int i = 0; i < v.length; i++) {
            v[i] /= n;
        }
        return n;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Largest eigenvalue of an SPD matrix: Rayleigh quotient of power iteration. */
    static double largestEigenvalue(double[][] a, long seed) {
        return extreme(a, seed, false);
    }

    /** Smallest eigenvalue of an SPD matrix: 1 / largest eigenvalue of A^-1, by inverse iteration. */
    static double smallestEigenvalue(double[][] a, long seed) {
        return extreme(a, seed, true);
    }

    private static double extreme(double[][] a, long seed, boolean inverse) {
        double[][] l = inverse ? cholesky(a) : null;
        Random r = new Random(seed);
        double[] v = new double[a.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        normalise(v);
        double rq = 0;
        // the Rayleigh quotient's error shrinks with the square of the iterate's: stop when it stalls
        for (int it = 0; it < 200_000; it++) {
            double[] w = inverse ? solve(l, v) : multiply(a, v);
            double next = dot(v, w);
            normalise(w);
            v = w;
            if (it > 50 && Math.abs(next - rq) <= 1e-16 * Math.abs(next)) {
                rq = next;
                break;
            }
            rq = next;
        }
        return inverse ? 1 / rq : rq;
    }
}
