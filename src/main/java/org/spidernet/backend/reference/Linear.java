package org.spidernet.backend.reference;

/** The fully connected head: y [N,M] = x [N,K] * w [M,K]^T + b [M], on row-major float64 arrays. */
final class Linear {
    private Linear() {
    }

    static void forward(int batch, int in, int out, double[] x, double[] w, double[] b, double[] y) {
        for (int n = 0; n < batch; n++) {
            for (int m = 0; m < out; m++) {
                double sum = b[m];
                for (int k = 0; k < in; k++) {
                    sum += x[n * in + k] * w[m * in + k];
                }
                y[n * out + m] = sum;
            }
        }
    }

    /** dx += dy * w (skipped when dx is null); dw += dy^T * x; db += sum over the batch of dy. */
    static void backward(int batch, int in, int out, double[] x, double[] w, double[] dy, double[] dx, double[] dw,
                         double[] db) {
        for (int n = 0; n < batch; n++) {
            for (int m = 0; m < out; m++) {
                double g = dy[n * out + m];
                db[m] += g;
                for (int k = 0; k < in; k++) {
                    dw[m * in + k] += g * x[n * in + k];
                    if (dx != null) {
                        dx[n * in + k] += g * w[m * in + k];
                    }
                }
            }
        }
    }
}
