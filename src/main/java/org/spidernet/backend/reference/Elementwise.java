package org.spidernet.backend.reference;

/**
 * Elementwise ops and dot products on float64 arrays. Each element is read before it is
 * written, so these are safe to run in place (an output array that is also an input).
 */
final class Elementwise {
    private Elementwise() {
    }

    /** y += alpha * x. */
    static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += alpha * x[i];
        }
    }

    static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** For each of the {@code samples} equal slices: the dot product of that slice of a and b. */
    static double[] dotPerSample(int samples, double[] a, double[] b) {
        double[] out = new double[samples];
        int per = samples == 0 ? 0 : a.length / samples;
        for (int n = 0; n < samples; n++) {
            double sum = 0;
            for (int i = n * per; i < (n + 1) * per; i++) {
                sum += a[i] * b[i];
            }
            out[n] = sum;
        }
        return out;
    }

    /** y[n, ...] += scale[n] * x[n, ...] over {@code scale.length} equal slices. */
    static void scaleAddPerSample(double[] x, double[] scale, double[] y) {
        int per = scale.length == 0 ? 0 : y.length / scale.length;
        for (int n = 0; n < scale.length; n++) {
            for (int i = n * per; i < (n + 1) * per; i++) {
                y[i] += scale[n] * x[i];
            }
        }
    }

    /** y = max(x, 0). */
    static void relu(double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.max(x[i], 0.0); // Math.max keeps NaN visible instead of hiding it as 0
        }
    }

    /** dx += dy where the forward input was positive (the subgradient at 0 is taken as 0). */
    static void reluBackward(double[] x, double[] dy, double[] dx) {
        for (int i = 0; i < dx.length; i++) {
            if (x[i] > 0) {
                dx[i] += dy[i];
            }
        }
    }
}
