package org.spidernet.metrics;

/** {@code G = X X^T} for the rows of X: the NTK Gram matrix and, on normalised rows, a correlation matrix. */
final class GramMatrix {
    private GramMatrix() {
    }

    /** The N x N matrix of dot products of the N given rows (all of one length). */
    static double[][] of(double[][] rows) {
        int n = rows.length;
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (rows[i].length != rows[0].length) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " entries, row 0 has "
                        + rows[0].length);
            }
            for (int j = 0; j <= i; j++) {
                double d = dot(rows[i], rows[j]);
                g[i][j] = d;
                g[j][i] = d;
            }
        }
        return g;
    }

    private static double dot(double[] a, double[] b) {
        // four partial sums: independent chains the JIT can pipeline; the order is fixed, so the
        // result is deterministic
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int n = a.length;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
