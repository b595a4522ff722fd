package org.spidernet.backend.reference;

/**
 * Reductions over every pair of samples (the train-free metrics' N x N matrices), as the plain
 * definitions: one loop over the D positions per pair, in float64.
 */
final class SamplePairs {
    private SamplePairs() {
    }

    /** k[i*n + j] += #{d : (x[i,d] > 0) == (x[j,d] > 0)}; NaN is "not positive", as {@code NaN > 0} is false. */
    static void signAgreement(double[] x, int n, double[] k) {
        int d = n == 0 ? 0 : x.length / n;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                long agree = 0;
                for (int t = 0; t < d; t++) {
                    if ((x[i * d + t] > 0) == (x[j * d + t] > 0)) {
                        agree++;
                    }
                }
                k[i * n + j] += agree;
            }
        }
    }

    /** G[i*n + j] = sum over d of a[i,d] * a[j,d]. */
    static double[] gram(double[] a, int n) {
        int d = n == 0 ? 0 : a.length / n;
        double[] g = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int t = 0; t < d; t++) {
                    sum += a[i * d + t] * a[j * d + t];
                }
                g[i * n + j] = sum;
            }
        }
        return g;
    }
}
