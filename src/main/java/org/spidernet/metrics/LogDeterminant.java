package org.spidernet.metrics;

/**
 * {@code slogdet}: the sign and the logarithm of the absolute value of a determinant, by LU
 * decomposition with partial pivoting. The logarithm is summed pivot by pivot, so matrices whose
 * determinant would overflow a double (an N x N kernel with entries in the thousands) still give
 * a finite answer.
 *
 * @param sign   +1 or -1, or 0 for a singular matrix
 * @param logAbs log |det|: -infinity for a singular matrix, NaN when an entry is not finite
 */
record LogDeterminant(double sign, double logAbs) {

    static LogDeterminant of(double[][] a) {
        int n = a.length;
        double[][] lu = new double[n][];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("matrix is not square: row " + i + " has " + a[i].length
                        + " entries, expected " + n);
            }
            for (double v : a[i]) {
                if (!Double.isFinite(v)) {
                    return new LogDeterminant(Double.NaN, Double.NaN);
                }
            }
            lu[i] = a[i].clone();
        }
        double sign = 1;
        double logAbs = 0;
        for (int k = 0; k < n; k++) {
            int pivot = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(lu[i][k]) > Math.abs(lu[pivot][k])) {
                    pivot = i;
                }
            }
            if (lu[pivot][k] == 0) {
                return new LogDeterminant(0, Double.NEGATIVE_INFINITY);
            }
            if (pivot != k) {
                double[] row = lu[pivot];
                lu[pivot] = lu[k];
                lu[k] = row;
                sign = -sign;
            }
            double[] rk = lu[k];
            double ukk = rk[k];
            if (ukk < 0) {
                sign = -sign;
            }
            logAbs += Math.log(Math.abs(ukk));
            for (int i = k + 1; i < n; i++) {
                double[] ri = lu[i];
                double f = ri[k] / ukk;
                if (f == 0) {
                    continue;
                }
                for (int j = k + 1; j < n; j++) {
                    ri[j] -= f * rk[j];
                }
            }
        }
        return new LogDeterminant(sign, logAbs);
    }
}
