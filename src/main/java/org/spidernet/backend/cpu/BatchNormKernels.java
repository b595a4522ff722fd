package org.spidernet.backend.cpu;

import java.nio.FloatBuffer;

/**
 * Per-channel batch normalisation over NCHW planes, statistics over N, H and W. Channels are
 * spread over the workers; a channel's N planes are read once into one array and every pass
 * runs there (reading each plane from the buffer once per pass cost more than the arithmetic).
 * Plane sums are float32 partial sums combined in float64.
 *
 * <p>The mean and the variance are two passes (mean, then squared deviations) rather than one
 * pass of sums of squares, which would cancel catastrophically when |mean| is much larger than
 * the standard deviation. ND4J's {@code batchnorm} op was not used: it normalises with given
 * statistics, so the batch statistics, the running-variance convention and the backward pass
 * through the statistics would have to be assembled around it anyway.
 */
final class BatchNormKernels {
    private static final long PARALLEL_WORK = 1L << 15;

    private BatchNormKernels() {
    }

    /**
     * Training mode. Writes y, and per channel the batch mean, the inverse standard deviation
     * (biased variance) and the unbiased variance into {@code mean}, {@code invStd},
     * {@code unbiasedVar}.
     */
    static void train(WorkerPool pool, int batch, int channels, int plane, FloatBuffer x, float[] gamma, float[] beta,
                      FloatBuffer y, double eps, double[] mean, double[] invStd, double[] unbiasedVar) {
        double count = (double) batch * plane;
        pool.forRange(channels, (long) batch * channels * plane >= PARALLEL_WORK, (worker, from, to) -> {
            // the channel's N planes read once into one array (a cache-sized block for the
            // shapes searched), then summed, squared and normalised there
            float[] xs = pool.scratch(worker).floats(Scratch.IN, batch * plane);
            for (int c = from; c < to; c++) {
                double sum = 0;
                for (int n = 0; n < batch; n++) {
                    x.get((n * channels + c) * plane, xs, n * plane, plane);
                    sum += RowKernels.sum(xs, n * plane, plane);
                }
                double m = sum / count;
                float mf = (float) m;
                double squares = 0;
                for (int n = 0; n < batch; n++) {
                    squares += RowKernels.sumSquaredDeviations(xs, n * plane, plane, mf);
                }
                double inv = 1.0 / Math.sqrt(squares / count + eps);
                float scale = (float) (gamma[c] * inv);
                float shift = beta[c];
                for (int n = 0; n < batch; n++) {
                    int at = n * plane;
                    for (int i = at; i < at + plane; i++) {
                        // (x - mean) first: x * scale + (beta - mean * scale) would cancel when |mean| >> std
                        xs[i] = (xs[i] - mf) * scale + shift;
                    }
                    y.put((n * channels + c) * plane, xs, at, plane);
                }
                mean[c] = m;
                invStd[c] = inv;
                unbiasedVar[c] = squares / (count - 1);
            }
        });
    }

    /** Evaluation mode: y = gamma * (x - runMean) / sqrt(runVar + eps) + beta. */
    static void eval(WorkerPool pool, int batch, int channels, int plane, FloatBuffer x, float[] gamma, float[] beta,
                     float[] runMean, float[] runVar, FloatBuffer y, double eps) {
        pool.forRange(channels, (long) batch * channels * plane >= PARALLEL_WORK, (worker, from, to) -> {
            float[] buf = pool.scratch(worker).floats(Scratch.IN, plane);
            for (int c = from; c < to; c++) {
                float mean = runMean[c];
                float scale = (float) (gamma[c] / Math.sqrt(runVar[c] + eps));
                float shift = beta[c];
                for (int n = 0; n < batch; n++) {
                    int at = (n * channels + c) * plane;
                    x.get(at, buf, 0, plane);
                    for (int i = 0; i < plane; i++) {
                        buf[i] = (buf[i] - mean) * scale + shift;
                    }
                    y.put(at, buf, 0, plane);
                }
            }
        });
    }

    /**
     * The training-mode backward through the batch statistics. With xhat = (x - mean) * invStd
     * and m = N*H*W: dBeta = sum dy, dGamma = sum dy * xhat, and
     * dx = gamma * invStd * (dy - sum dy / m - xhat * sum(dy * xhat) / m).
     * Writes dx (accumulated) and returns the per-channel sums in {@code sumDy} and
     * {@code sumDyXhat} for the caller to accumulate into dBeta and dGamma.
     */
    static void backward(WorkerPool pool, int batch, int channels, int plane, FloatBuffer x, FloatBuffer dy,
                         float[] gamma, float[] mean, float[] invStd, FloatBuffer dx, double[] sumDy,
                         double[] sumDyXhat) {
        double count = (double) batch * plane;
        pool.forRange(channels, (long) batch * channels * plane >= PARALLEL_WORK, (worker, from, to) -> {
            // x and dy of the channel read once each, as in train
            Scratch s = pool.scratch(worker);
            float[] xs = s.floats(Scratch.IN, batch * plane);
            float[] dys = s.floats(Scratch.GRAD, batch * plane);
            float[] dxs = s.floats(Scratch.PLANE, plane);
            float[] sums = new float[2];
            for (int c = from; c < to; c++) {
                float m = mean[c];
                double sdy = 0;
                double sdyx = 0;
                for (int n = 0; n < batch; n++) {
                    int at = (n * channels + c) * plane;
                    int o = n * plane;
                    x.get(at, xs, o, plane);
                    dy.get(at, dys, o, plane);
                    RowKernels.centreAndCorrelate(xs, dys, o, plane, m, sums);
                    sdy += sums[0];
                    sdyx += sums[1];
                }
                double inv = invStd[c];
                double dyXhat = sdyx * inv;
                float a = (float) (gamma[c] * inv);
                float b = (float) (gamma[c] * inv * sdy / count);
                float k = (float) (gamma[c] * inv * inv * dyXhat / count);
                for (int n = 0; n < batch; n++) {
                    int at = (n * channels + c) * plane;
                    int o = n * plane;
                    dx.get(at, dxs, 0, plane);
                    // xs already holds x - mean
                    RowKernels.batchNormInputGradient(dys, xs, o, a, b, k, dxs, plane);
                    dx.put(at, dxs, 0, plane);
                }
                sumDy[c] = sdy;
                sumDyXhat[c] = dyXhat;
            }
        });
    }
}
