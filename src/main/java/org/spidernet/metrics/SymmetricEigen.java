package org.spidernet.metrics;

import java.util.Arrays;

/**
 * Eigenvalues of a real symmetric matrix by the cyclic Jacobi method, in plain Java.
 *
 * <p>Why Jacobi and not tridiagonal QR: the matrices here are Gram and correlation matrices
 * (positive semi-definite) of a few hundred rows at most, and the NTK condition number divides by
 * the smallest eigenvalue. Jacobi with the relative off-diagonal test
 * {@code |a_pq| <= eps * sqrt(|a_pp * a_qq|)} is backward stable like QR and, for positive
 * definite matrices, computes each eigenvalue with an error relative to that eigenvalue governed
 * by the conditioning of the diagonally scaled matrix (Demmel and Veselic, 1992), never worse
 * than QR's bound relative to the largest. The cost, a few sweeps of {@code O(n^3)}, is small
 * beside the per-sample gradients that build the matrix; no library is needed.
 */
final class SymmetricEigen {
    /** Convergence takes well under 20 sweeps in practice; the cap only bounds pathological input. */
    private static final int MAX_SWEEPS = 100;
    private static final double EPS = Math.ulp(1.0);

    private SymmetricEigen() {
    }

    /**
     * The eigenvalues of {@code a}, ascending. Only the upper triangle is read (the matrix is taken
     * as symmetric); {@code a} is not modified. A matrix with a non-finite entry has no
     * meaningful eigenvalues: every returned value is then NaN.
     */
    static double[] eigenvalues(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("matrix is not square: row " + i + " has " + a[i].length
                        + " entries, expected " + n);
            }
            for (int j = i; j < n; j++) {
                double v = a[i][j];
                if (!Double.isFinite(v)) {
                    double[] nan = new double[n];
                    Arrays.fill(nan, Double.NaN);
                    return nan;
                }
                m[i][j] = v;
                m[j][i] = v;
            }
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = m[p][q];
                    if (apq == 0 || Math.abs(apq) <= EPS * Math.sqrt(Math.abs(m[p][p] * m[q][q]))) {
                        continue;
                    }
                    rotate(m, p, q);
                    rotated = true;
                }
            }
            if (!rotated) {
                break;
            }
        }
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = m[i][i];
        }
        Arrays.sort(d);
        return d;
    }

    /** One Jacobi rotation in the (p, q) plane that zeroes m[p][q] (Rutishauser's stable form). */
    private static void rotate(double[][] m, int p, int q) {
        double apq = m[p][q];
        double theta = (m[q][q] - m[p][p]) / (2 * apq);
        // the smaller root of t^2 + 2 t theta - 1 = 0: rotation angle at most pi/4, which converges
        double t = 1 / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (Double.isInfinite(theta * theta)) {
            t = 1 / (2 * Math.abs(theta)); // theta^2 overflowed: the same root to first order
        }
        if (theta < 0) {
            t = -t;
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        m[p][p] -= t * apq;
        m[q][q] += t * apq;
        m[p][q] = 0;
        m[q][p] = 0;
        int n = m.length;
        for (int r = 0; r < n; r++) {
            if (r == p || r == q) {
                continue;
            }
            double g = m[r][p];
            double h = m[r][q];
            double gp = c * g - s * h;
            double hq = s * g + c * h;
            m[r][p] = gp;
            m[p][r] = gp;
            m[r][q] = hq;
            m[q][r] = hq;
        }
    }
}
