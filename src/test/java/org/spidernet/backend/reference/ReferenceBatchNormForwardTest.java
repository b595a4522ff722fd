package org.spidernet.backend.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spidernet.backend.Tensor;

/** BatchNorm forward: normalised output, saved statistics, running-statistics update, eval mode. */
class ReferenceBatchNormForwardTest {
    private static final int N = 2;
    private static final int C = 3;
    private static final int H = 5;
    private static final int W = 7;
    private static final int PLANE = H * W;
    private static final int COUNT = N * PLANE;
    private static final double EPS = 1e-5;
    private static final double MOMENTUM = 0.1;

    private final SeededRandom random = new SeededRandom();
    private ReferenceBackend backend;

    @BeforeEach
    void open() {
        backend = new ReferenceBackend();
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void trainModeNormalisesEachChannelAndUpdatesRunningStatistics() {
        // channel c is shifted by 3c and scaled by (c + 1), so channels have distinct statistics
        double[] xs = random.uniform(N * C * PLANE);
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < C; c++) {
                for (int s = 0; s < PLANE; s++) {
                    int i = (n * C + c) * PLANE + s;
                    xs[i] = 3 * c + (c + 1) * xs[i];
                }
            }
        }
        Tensor x = tensor(xs, N, C, H, W);
        Tensor gamma = backend.allocate(C);
        backend.fill(gamma, 1.0);
        Tensor beta = backend.allocate(C);
        Tensor y = backend.allocate(N, C, H, W);
        Tensor saveMean = backend.allocate(C);
        Tensor saveInvStd = backend.allocate(C);
        Tensor runMean = backend.allocate(C);
        Tensor runVar = backend.allocate(C);
        backend.fill(runVar, 1.0); // PyTorch's initial running statistics: mean 0, variance 1

        backend.batchNormTrain(x, gamma, beta, y, saveMean, saveInvStd, runMean, runVar, MOMENTUM, EPS);

        double[] ys = backend.download(y);
        for (int c = 0; c < C; c++) {
            double[] stats = channelStats(xs, c);
            double mean = stats[0];
            double biasedVar = stats[1];
            double[] out = channelStats(ys, c);
            String where = "channel " + c + " (" + random + ")";
            assertEquals(0.0, out[0], 1e-12, "output mean, " + where);
            // exactly var / (var + eps) rather than 1, because of eps
            assertEquals(biasedVar / (biasedVar + EPS), out[1], 1e-12, "output variance, " + where);
            assertEquals(mean, backend.download(saveMean)[c], 1e-12, "saved mean, " + where);
            assertEquals(1 / Math.sqrt(biasedVar + EPS), backend.download(saveInvStd)[c], 1e-12,
                    "saved invStd, " + where);
            double unbiasedVar = biasedVar * COUNT / (COUNT - 1);
            assertEquals(MOMENTUM * mean, backend.download(runMean)[c], 1e-12, "running mean, " + where);
            assertEquals((1 - MOMENTUM) * 1.0 + MOMENTUM * unbiasedVar, backend.download(runVar)[c], 1e-12,
                    "running variance uses the unbiased estimate, " + where);
        }
    }

    @Test
    void trainModeAppliesGammaAndBeta() {
        double[] xs = random.uniform(N * C * PLANE);
        Tensor x = tensor(xs, N, C, H, W);
        double[] gs = {2.0, -0.5, 1.5};
        double[] bs = {0.25, -1.0, 3.0};
        Tensor y = backend.allocate(N, C, H, W);
        Tensor[] stats = {backend.allocate(C), backend.allocate(C), backend.allocate(C), backend.allocate(C)};
        backend.batchNormTrain(x, tensor(gs, C), tensor(bs, C), y, stats[0], stats[1], stats[2], stats[3],
                MOMENTUM, EPS);
        double[] ys = backend.download(y);
        for (int c = 0; c < C; c++) {
            double[] in = channelStats(xs, c);
            double[] out = channelStats(ys, c);
            String where = "channel " + c + " (" + random + ")";
            assertEquals(bs[c], out[0], 1e-12, "mean is beta, " + where);
            assertEquals(gs[c] * gs[c] * in[1] / (in[1] + EPS), out[1], 1e-12, "variance is gamma^2, " + where);
        }
    }

    @Test
    void evalModeUsesRunningStatistics() {
        double[] xs = random.uniform(N * C * PLANE);
        double[] gs = random.between(C, 0.5, 2);
        double[] bs = random.uniform(C);
        double[] rm = random.uniform(C);
        double[] rv = random.between(C, 0.5, 2);
        Tensor y = backend.allocate(N, C, H, W);
        backend.batchNormEval(tensor(xs, N, C, H, W), tensor(gs, C), tensor(bs, C), tensor(rm, C), tensor(rv, C), y,
                EPS);
        double[] expected = new double[xs.length];
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < C; c++) {
                for (int s = 0; s < PLANE; s++) {
                    int i = (n * C + c) * PLANE + s;
                    expected[i] = gs[c] * (xs[i] - rm[c]) / Math.sqrt(rv[c] + EPS) + bs[c];
                }
            }
        }
        assertArrayEquals(expected, backend.download(y), 1e-12, random.toString());
    }

    /** {mean, biased variance} of channel c of an [N, C, H, W] array, in two passes. */
    private static double[] channelStats(double[] v, int c) {
        double sum = 0;
        for (int n = 0; n < N; n++) {
            for (int s = 0; s < PLANE; s++) {
                sum += v[(n * C + c) * PLANE + s];
            }
        }
        double mean = sum / COUNT;
        double squares = 0;
        for (int n = 0; n < N; n++) {
            for (int s = 0; s < PLANE; s++) {
                double d = v[(n * C + c) * PLANE + s] - mean;
                squares += d * d;
            }
        }
        return new double[] {mean, squares / COUNT};
    }

    private Tensor tensor(double[] data, int... shape) {
        Tensor t = backend.allocate(shape);
        backend.upload(t, data);
        return t;
    }
}
