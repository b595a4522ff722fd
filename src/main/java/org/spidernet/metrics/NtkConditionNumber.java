package org.spidernet.metrics;

import org.spidernet.backend.Backend;
import org.spidernet.backend.Tensor;
import org.spidernet.exec.GateSpec;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.ParamInit;
import org.spidernet.exec.ParamSpec;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.Genome;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * NTK condition number (TE-NAS; SpiderNet's trainability score). Lower is better.
 *
 * <p>The genome is re-instantiated at width {@code width} (SpiderNet: C = 3), Kaiming-normal
 * fan_out init, BatchNorm in training mode. For each of {@code batches} batches of
 * {@code batchSize} normalised training images: one forward pass, then for every sample i one
 * backward pass of ones in row i of the classifier's logit gradient, through the whole batch's
 * graph (train-mode BN couples the samples, as in the reference). Row i of J is
 * d(sum of f(x_i)'s logits)/d(theta) over every weight: conv kernels, BN scales, linear weights
 * and the gates of live ops; biases and BN shifts are not weights. J is N x P, G = J J^T,
 * kappa = lambda_max / lambda_min by {@link SymmetricEigen}. J's weight columns stay on the
 * backend and only G comes back ({@link #gram}).
 *
 * <p>Kaiming fan_out is PyTorch's {@code kaiming_normal_(mode='fan_out')}, which the reference
 * implementations call: std = sqrt(2 / fan_out) with fan_out = weight.size(0) x k^2 =
 * out_channels x k^2 whatever the groups, so a depthwise [C, 1, k, k] kernel has fan_out C k^2, not
 * k^2 (fan_in, used for training and linear regions, is weight.size(1) x k^2 = in/groups x k^2).
 * {@code ParamSpec}'s fans follow that rule for every conv.
 *
 * <p>Cost: N backward passes, each through a whole batch (train-mode BN couples the samples).
 * At SpiderNet's settings on a 32x32, R = 2 genome the float64 reference backend takes about
 * 220 s per score; the Gram matrix and its eigenvalues are a fraction of a second of that.
 *
 * <p>Parameters that get no gradient (auxiliary heads: the logit gradient reaches only the
 * classifier) are zero columns of J; they leave G unchanged, so keeping them out is a saving,
 * not a difference. Ops of switched-off edges are skipped outright.
 *
 * <p>Failures: a NaN kappa (NaN gradients, or an all-zero G) becomes 1e5, SpiderNet's rule,
 * reported as {@link MetricResult.Status#SUBSTITUTED} with the raw value kept. A G that is
 * singular to working precision (lambda_min at most {@code N * eps * lambda_max}, numpy's
 * {@code matrix_rank} tolerance, with eps the unit roundoff of the backend's numbers: 2^-52 for
 * the float64 reference, 2^-23 for float32 backends, whose kappa of a singular G is about 1e14
 * rather than 1e16) has no measurable condition number:
 * {@link MetricResult.Status#NON_FINITE}, with the computed ratio kept as the raw value.
 *
 * <p><b>The batch null space.</b> In this search space every node ends in a BatchNorm and the
 * output node's feeds global pooling and the linear classifier directly. In training mode the
 * batch mean of that BN's output is its shift beta, so the sum over a batch of all logits is
 * {@code N * sum(W beta) + N * sum(b)}: at initialisation (beta = 0) its gradient with respect
 * to every weight is exactly zero. The rows of J of each batch therefore sum to zero, and G has
 * one exact null vector per batch (the batch's indicator). The definition's kappa is then
 * rounding noise, which the rule above reports as a failure for every genome. The
 * {@code centred} variant ({@link #CENTRED_NAME}) takes kappa over the complement of those
 * vectors instead: each batch's rows are replaced by their Helmert contrasts (an orthonormal
 * basis of the batch-centred combinations), i.e. the NTK of the batch-centred outputs
 * {@code f(x_i) - mean over the batch}, formed from G as {@code H G H^T} ({@link #helmertGram}).
 * Where the rows already sum to zero, as here, its eigenvalues are exactly the nonzero
 * eigenvalues of G. It needs batches of at least 2.
 */
public final class NtkConditionNumber implements TrainFreeMetric {
    public static final String NAME = "ntk";
    public static final String CENTRED_NAME = "ntk_centred";
    /** SpiderNet's (and TE-NAS's) value for a NaN condition number. */
    public static final double NAN_SUBSTITUTE = 1e5;

    private final int width;
    private final int batches;
    private final int batchSize;
    private final boolean centred;

    /** SpiderNet's settings: width 3, 3 batches of 64 (N = 192), kappa of G as defined. */
    public NtkConditionNumber() {
        this(3, 3, 64, false);
    }

    /**
     * @param width    network width C for scoring; 0 keeps the genome's own
     * @param centred  kappa over the batch-centred outputs (see the class comment) instead of G itself
     */
    public NtkConditionNumber(int width, int batches, int batchSize, boolean centred) {
        if (width < 0 || batches < 1 || batchSize < (centred ? 2 : 1)) {
            throw new IllegalArgumentException("ntk: width " + width + ", batches " + batches + ", batch size "
                    + batchSize + " (need width >= 0, at least one batch of " + (centred ? "two samples" : "one sample")
                    + ")");
        }
        this.width = width;
        this.batches = batches;
        this.batchSize = batchSize;
        this.centred = centred;
    }

    /** SpiderNet's settings with kappa over the batch-centred outputs. */
    public static NtkConditionNumber centred() {
        return new NtkConditionNumber(3, 3, 64, true);
    }

    @Override
    public String name() {
        return centred ? CENTRED_NAME : NAME;
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public MetricResult score(ScoringContext ctx, Set<EdgeRef> switchedOff) {
        double[][] g = gram(ctx, switchedOff);
        // G is summed in double, but from gradients of the backend's precision: its rounding decides
        double unitRoundoff = ctx.backend().bytesPerElement() == Float.BYTES ? Math.ulp(1.0f) : Math.ulp(1.0);
        return fromGram(name(), centred ? helmertGram(g, batchSize) : g, unitRoundoff);
    }

    /**
     * The Gram matrix G = J J^T of the per-sample logit-sum gradients (N x N). The weight columns
     * of J never leave the backend: after each sample's backward pass every weight gradient is
     * copied into that sample's row of one [N, P] tensor ({@code Backend.copyInto}), and
     * {@code Backend.gram} forms their part of G in float64 (the same float32 gradients, the same
     * float64 products as on the host; only the order of the sums differs). The gate columns are
     * host values ({@code Network.gateGradients()}) and are added here.
     */
    double[][] gram(ScoringContext ctx, Set<EdgeRef> switchedOff) {
        Genome genome = ScoringNetwork.atWidth(ctx.genome(), width);
        Backend backend = ctx.backend();
        int classes = genome.input().classes();
        int n = batches * batchSize;
        try (Network net = ScoringNetwork.open(backend, genome, batchSize, PlanOptions.TRAINING.withoutMemorySharing(),
                ctx.initSeed(), InitScheme.FAN_OUT, switchedOff)) {
            List<ParamSpec> weights = new ArrayList<>();
            long columns = 0;
            for (ParamSpec p : net.plan().parameters()) {
                if (isWeight(p.init()) && (p.gate() < 0 || !net.isPruned(p.gate()))) {
                    weights.add(p);
                    columns += net.tensor(p.value()).size();
                }
            }
            List<Integer> gates = new ArrayList<>();
            for (GateSpec g : net.plan().gates()) {
                if (!net.isPruned(g.index())) {
                    gates.add(g.index());
                }
            }
            if (columns > Integer.MAX_VALUE || (long) n * columns > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("ntk: " + n + " samples x " + columns
                        + " weights do not fit one Jacobian tensor");
            }
            double[][] gateRows = new double[n][gates.size()];
            double[] flat;
            try (Tensor jacobian = backend.allocate(n, (int) columns)) {
                ImageBatchSampler sampler = ImageBatchSampler.of(ctx);
                double[] seed = new double[batchSize * classes];
                for (int b = 0; b < batches; b++) {
                    net.forward(sampler.next(batchSize).pixels(), true, 0.0, null);
                    for (int i = 0; i < batchSize; i++) {
                        Arrays.fill(seed, 0.0);
                        Arrays.fill(seed, i * classes, (i + 1) * classes, 1.0);
                        net.backwardFromLogits(seed);
                        int row = b * batchSize + i;
                        long col = (long) row * columns;
                        for (ParamSpec p : weights) {
                            Tensor grad = net.tensor(p.grad());
                            backend.copyInto(grad, jacobian, col);
                            col += grad.size();
                        }
                        double[] gateGrad = net.gateGradients();
                        for (int k = 0; k < gates.size(); k++) {
                            gateRows[row][k] = gateGrad[gates.get(k)];
                        }
                    }
                }
                flat = backend.gram(jacobian);
            }
            double[][] g = GramMatrix.of(gateRows);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    g[i][j] += flat[i * n + j];
                }
            }
            return g;
        }
    }

    /** Conv kernels, BN scales and linear weights; not linear biases, not BN shifts. */
    static boolean isWeight(ParamInit init) {
        return init == ParamInit.CONV_KAIMING || init == ParamInit.ONES || init == ParamInit.LINEAR_WEIGHT;
    }

    /**
     * The Gram matrix of each batch's m rows r_1..r_m replaced by their m - 1 Helmert contrasts
     * {@code (r_1 + ... + r_k - k r_{k+1}) / sqrt(k (k + 1))}, formed from G itself as
     * {@code H G H^T} (H block-diagonal, one Helmert block per batch): orthonormal combinations
     * orthogonal to each batch's sum, so the result is G restricted to the complement of the
     * per-batch indicator vectors. Each row of H has at most m nonzeros, so this costs
     * O(N^2 m) on N x N, nothing per weight.
     */
    static double[][] helmertGram(double[][] g, int batchSize) {
        int n = g.length;
        int batches = n / batchSize;
        int m = batchSize - 1;
        int out = batches * m;
        // row c of H (contrast k of batch b): weights on the batch's samples 0..k
        double[][] weight = new double[out][];
        int[] first = new int[out];
        for (int b = 0; b < batches; b++) {
            for (int k = 1; k < batchSize; k++) {
                double scale = 1 / Math.sqrt((double) k * (k + 1));
                double[] w = new double[k + 1];
                Arrays.fill(w, 0, k, scale);
                w[k] = -k * scale;
                weight[b * m + k - 1] = w;
                first[b * m + k - 1] = b * batchSize;
            }
        }
        double[][] hg = new double[out][n]; // H G
        for (int c = 0; c < out; c++) {
            double[] w = weight[c];
            for (int t = 0; t < w.length; t++) {
                double[] src = g[first[c] + t];
                for (int j = 0; j < n; j++) {
                    hg[c][j] += w[t] * src[j];
                }
            }
        }
        double[][] result = new double[out][out]; // (H G) H^T
        for (int r = 0; r < out; r++) {
            for (int c = 0; c < out; c++) {
                double[] w = weight[c];
                double sum = 0;
                for (int t = 0; t < w.length; t++) {
                    sum += hg[r][first[c] + t] * w[t];
                }
                result[r][c] = sum;
            }
        }
        // symmetric by definition; average the rounding of the two triangles away
        for (int r = 0; r < out; r++) {
            for (int c = 0; c < r; c++) {
                double v = 0.5 * (result[r][c] + result[c][r]);
                result[r][c] = v;
                result[c][r] = v;
            }
        }
        return result;
    }

    /**
     * kappa of G, with SpiderNet's NaN rule and numpy's rank tolerance for a singular G, at the
     * unit roundoff of the numbers G was computed from (float32 gradients: 2^-23).
     */
    static MetricResult fromGram(String name, double[][] g, double unitRoundoff) {
        double[] ev = SymmetricEigen.eigenvalues(g);
        double min = ev[0];
        double max = ev[ev.length - 1];
        double kappa = max / min;
        if (Double.isNaN(kappa)) {
            return MetricResult.substituted(name, NAN_SUBSTITUTE, kappa,
                    "condition number is NaN (lambda_max " + max + ", lambda_min " + min + "); SpiderNet's rule gives "
                            + NAN_SUBSTITUTE);
        }
        if (!(min > g.length * unitRoundoff * max)) {
            return MetricResult.nonFinite(name, kappa, "Gram matrix is singular to working precision (lambda_min "
                    + min + ", lambda_max " + max + ")");
        }
        return MetricResult.of(name, kappa, "condition number overflows (lambda_max " + max + ", lambda_min "
                + min + ")");
    }
}
