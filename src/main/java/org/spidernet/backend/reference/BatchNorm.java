package org.spidernet.backend.reference;

/**
 * Per-channel batch normalisation of NCHW float64 arrays, statistics over N, H and W.
 * Written in two plain passes per channel (mean, then squared deviations) rather than a
 * one-pass sum of squares, because the oracle should not lose precision to cancellation.
 */
final class BatchNorm {
    private BatchNorm() {
    }

    /** Flat index of element (n, c, s) where s runs over the H*W plane. */
    private static int at(int n, int c, int s, int channels, int plane) {
        return (n * channels + c) * plane + s;
    }

    /**
     * Training mode: normalise with the biased batch variance, save mean and invStd for the
     * backward pass, and blend the batch statistics into the running ones with the unbiased
     * variance (count / (count - 1)), as PyTorch does.
     */
    static void train(int batch, int channels, int plane, double[] x, double[] gamma, double[] beta, double[] y,
                      double[] saveMean, double[] saveInvStd, double[] runMean, double[] runVar,
                      double momentum, double eps) {
        double count = (double) batch * plane;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int n = 0; n < batch; n++) {
                for (int s = 0; s < plane; s++) {
                    sum += x[at(n, c, s, channels, plane)];
                }
            }
            double mean = sum / count;
            double squares = 0;
            for (int n = 0; n < batch; n++) {
                for (int s = 0; s < plane; s++) {
                    double dev = x[at(n, c, s, channels, plane)] - mean;
                    squares += dev * dev;
                }
            }
            double biasedVar = squares / count;
            double invStd = 1.0 / Math.sqrt(biasedVar + eps);
            for (int n = 0; n < batch; n++) {
                for (int s = 0; s < plane; s++) {
                    int i = at(n, c, s, channels, plane);
                    y[i] = gamma[c] * (x[i] - mean) * invStd + beta[c];
                }
            }
            saveMean[c] = mean;
            saveInvStd[c] = invStd;
            double unbiasedVar = squares / (count - 1);
            runMean[c] = (1 - momentum) * runMean[c] + momentum * mean;
            runVar[c] = (1 - momentum) * runVar[c] + momentum * unbiasedVar;
        }
    }

    /** Evaluation mode: y = gamma * (x - runMean) / sqrt(runVar + eps) + beta. */
    static void eval(int batch, int channels, int plane, double[] x, double[] gamma, double[] beta,
                     double[] runMean, double[] runVar, double[] y, double eps) {
        for (int c = 0; c < channels; c++) {
            double invStd = 1.0 / Math.sqrt(runVar[c] + eps);
            for (int n = 0; n < batch; n++) {
                for (int s = 0; s < plane; s++) {
                    int i = at(n, c, s, channels, plane);
                    y[i] = gamma[c] * (x[i] - runMean[c]) * invStd + beta[c];
                }
            }
        }
    }

    /**
     * The full training-mode backward, through the batch mean and variance. With
     * xhat = (x - mean) * invStd and m = N*H*W:
     * dBeta = sum dy, dGamma = sum dy * xhat,
     * dx = gamma * invStd / m * (m * dy - sum dy - xhat * sum(dy * xhat)).
     * All three are accumulated.
     */
    static void backward(int batch, int channels, int plane, double[] x, double[] dy, double[] gamma,
                         double[] saveMean, double[] saveInvStd, double[] dx, double[] dGamma, double[] dBeta) {
        double count = (double) batch * plane;
        for (int c = 0; c < channels; c++) {
            double mean = saveMean[c];
            double invStd = saveInvStd[c];
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int n = 0; n < batch; n++) {
                for (int s = 0; s < plane; s++) {
                    int i = at(n, c, s, channels, plane);
                    sumDy += dy[i];
                    sumDyXhat += dy[i] * (x[i] - mean) * invStd;
                }
            }
            double scale = gamma[c] * invStd / count;
            for (int n = 0; n < batch; n++) {
                for (int s = 0; s < plane; s++) {
                    int i = at(n, c, s, channels, plane);
                    double xhat = (x[i] - mean) * invStd;
                    dx[i] += scale * (count * dy[i] - sumDy - xhat * sumDyXhat);
                }
            }
            dGamma[c] += sumDyXhat;
            dBeta[c] += sumDy;
        }
    }
}
