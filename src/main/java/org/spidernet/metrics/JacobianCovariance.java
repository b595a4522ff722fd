package org.spidernet.metrics;

import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.Genome;

import java.util.Arrays;
import java.util.Set;

/**
 * NASWOT v1, {@code jacob_cov} (Mellor et al. 2020). Higher is better; the maximum is about -N.
 *
 * <p>One batch of {@code batchSize} normalised training images through the genome at its own
 * width (or {@code width}), Kaiming fan_in init, BatchNorm in training mode (the reference
 * scores a freshly built PyTorch module, which is in training mode). Row i of J (N x D) is the
 * input Jacobian of sample i, d(sum of f(x_i)'s logits)/d(x_i). R = corrcoef of the rows of J (as
 * numpy's, clipped to [-1, 1]); with its eigenvalues v and k = 1e-5,
 * {@code score = -sum(log(v + k) + 1 / (v + k))}. A sample whose Jacobian row is constant makes R
 * undefined: a NaN score, reported as a failure.
 *
 * <p><b>One backward pass per sample.</b> The reference gets all rows from one backward pass of
 * sum(f(x)) over the batch, which equals the per-sample Jacobians only when samples do not
 * interact. Here they always do, and fatally: every genome's output node ends in a BatchNorm that
 * feeds global pooling and the classifier directly, so in training mode the batch sum of the
 * logits is {@code N * sum(W beta) + N * sum(b)}, independent of the input, and that one-pass
 * Jacobian is identically zero (rounding noise whose correlations would be scored). Each sample's
 * row is therefore its own block, from a backward pass of ones in its row of the logit gradient
 * through the whole batch's graph, as the NTK does: N backward passes instead of one.
 */
public final class JacobianCovariance implements TrainFreeMetric {
    public static final String NAME = "naswot";
    static final double K = 1e-5;

    private final int width;
    private final int batchSize;

    /** The reference's batch of 128 at the genome's own width. */
    public JacobianCovariance() {
        this(0, 128);
    }

    /** @param width network width C for scoring; 0 keeps the genome's own */
    public JacobianCovariance(int width, int batchSize) {
        if (width < 0 || batchSize < 2) {
            throw new IllegalArgumentException("naswot: width " + width + ", batch size " + batchSize
                    + " (need width >= 0 and two samples to correlate)");
        }
        this.width = width;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public MetricResult score(ScoringContext ctx, Set<EdgeRef> switchedOff) {
        return fromJacobian(inputJacobian(ctx, switchedOff), batchSize);
    }

    /** Row i: d(sum of f(x_i)'s logits)/d(x_i), [N, C, H, W] row-major. */
    double[] inputJacobian(ScoringContext ctx, Set<EdgeRef> switchedOff) {
        Genome genome = ScoringNetwork.atWidth(ctx.genome(), width);
        int classes = genome.input().classes();
        try (Network net = ScoringNetwork.open(ctx.backend(), genome, batchSize,
                PlanOptions.TRAINING.withInputGradient().withoutMemorySharing(), ctx.initSeed(), InitScheme.FAN_IN,
                switchedOff)) {
            net.forward(ImageBatchSampler.of(ctx).next(batchSize).pixels(), true, 0.0, null);
            double[] seed = new double[batchSize * classes];
            double[] jacobian = null;
            for (int i = 0; i < batchSize; i++) {
                Arrays.fill(seed, 0.0);
                Arrays.fill(seed, i * classes, (i + 1) * classes, 1.0);
                net.backwardFromLogits(seed);
                double[] dx = net.inputGradient();
                if (jacobian == null) {
                    jacobian = new double[dx.length];
                }
                int d = dx.length / batchSize;
                System.arraycopy(dx, i * d, jacobian, i * d, d);
            }
            return jacobian;
        }
    }

    static MetricResult fromJacobian(double[] jacobian, int n) {
        double[][] r = correlation(jacobian, n);
        double[] v = SymmetricEigen.eigenvalues(r);
        double score = 0;
        for (double e : v) {
            score -= Math.log(e + K) + 1.0 / (e + K);
        }
        return MetricResult.of(NAME, score, "correlation of the input Jacobians is undefined (a constant or "
                + "non-finite Jacobian row)");
    }

    /** numpy.corrcoef of the n rows of {@code x}: centred, scaled to unit norm, dotted, clipped to [-1, 1]. */
    static double[][] correlation(double[] x, int n) {
        int d = x.length / n;
        double[][] z = new double[n][d];
        for (int i = 0; i < n; i++) {
            double mean = 0;
            for (int t = 0; t < d; t++) {
                mean += x[i * d + t];
            }
            mean /= d;
            double norm = 0;
            for (int t = 0; t < d; t++) {
                double c = x[i * d + t] - mean;
                z[i][t] = c;
                norm += c * c;
            }
            double inv = 1.0 / Math.sqrt(norm); // a constant row gives infinity, and NaN below: R undefined
            for (int t = 0; t < d; t++) {
                z[i][t] *= inv;
            }
        }
        double[][] r = GramMatrix.of(z);
        for (double[] row : r) {
            for (int j = 0; j < n; j++) {
                row[j] = Math.max(-1.0, Math.min(1.0, row[j]));
            }
        }
        return r;
    }
}
