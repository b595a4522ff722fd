package org.spidernet.metrics;

import org.spidernet.backend.Backend;
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
 * kappa = lambda_max / lambda_min by {@link SymmetricEigen}.
 *
 * <p>Parameters that get no gradient (auxiliary heads: the logit gradient reaches only the
 * classifier) are zero columns of J; they leave G unchanged, so keeping them out is a saving,
 * not a difference. Ops of switched-off edges are skipped outright.
 *
 * <p>Failures: a NaN kappa (NaN gradients, or an all-zero G) becomes 1e5, SpiderNet's rule,
 * reported as {@link MetricResult.Status#SUBSTITUTED} with the raw value kept. A G whose smallest
 * eigenvalue is not positive is singular, kappa is infinite: {@link MetricResult.Status#NON_FINITE}.
 */
public final class NtkConditionNumber implements TrainFreeMetric {
    public static final String NAME = "ntk";
    /** SpiderNet's (and TE-NAS's) value for a NaN condition number. */
    public static final double NAN_SUBSTITUTE = 1e5;

    private final int width;
    private final int batches;
    private final int batchSize;

    /** SpiderNet's settings: width 3, 3 batches of 64 (N = 192). */
    public NtkConditionNumber() {
        this(3, 3, 64);
    }

    /** @param width network width C for scoring; 0 keeps the genome's own */
    public NtkConditionNumber(int width, int batches, int batchSize) {
        if (width < 0 || batches < 1 || batchSize < 1) {
            throw new IllegalArgumentException("ntk: width " + width + ", batches " + batches + ", batch size "
                    + batchSize + " (need width >= 0, at least one batch of one sample)");
        }
        this.width = width;
        this.batches = batches;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public MetricResult score(ScoringContext ctx, Set<EdgeRef> switchedOff) {
        return fromGram(gram(ctx, switchedOff));
    }

    /** The Gram matrix G = J J^T of the per-sample logit-sum gradients (N x N). */
    double[][] gram(ScoringContext ctx, Set<EdgeRef> switchedOff) {
        return GramMatrix.of(jacobian(ctx, switchedOff));
    }

    /** J: one row per sample, one column per weight element (parameters in plan order, then gates). */
    double[][] jacobian(ScoringContext ctx, Set<EdgeRef> switchedOff) {
        Genome genome = ScoringNetwork.atWidth(ctx.genome(), width);
        Backend backend = ctx.backend();
        int classes = genome.input().classes();
        try (Network net = ScoringNetwork.open(backend, genome, batchSize, PlanOptions.TRAINING, ctx.initSeed(),
                InitScheme.FAN_OUT, switchedOff)) {
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
            columns += gates.size();
            if (columns > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("ntk: " + columns + " weights do not fit one Jacobian row");
            }
            double[][] j = new double[batches * batchSize][(int) columns];
            ImageBatchSampler sampler = ImageBatchSampler.of(ctx);
            double[] seed = new double[batchSize * classes];
            for (int b = 0; b < batches; b++) {
                net.forward(sampler.next(batchSize).pixels(), true, 0.0, null);
                for (int i = 0; i < batchSize; i++) {
                    Arrays.fill(seed, 0.0);
                    Arrays.fill(seed, i * classes, (i + 1) * classes, 1.0);
                    net.backwardFromLogits(seed);
                    double[] row = j[b * batchSize + i];
                    int col = 0;
                    for (ParamSpec p : weights) {
                        double[] grad = backend.download(net.tensor(p.grad()));
                        System.arraycopy(grad, 0, row, col, grad.length);
                        col += grad.length;
                    }
                    double[] gateGrad = net.gateGradients();
                    for (int g : gates) {
                        row[col++] = gateGrad[g];
                    }
                }
            }
            return j;
        }
    }

    /** Conv kernels, BN scales and linear weights; not linear biases, not BN shifts. */
    static boolean isWeight(ParamInit init) {
        return init == ParamInit.CONV_KAIMING || init == ParamInit.ONES || init == ParamInit.LINEAR_WEIGHT;
    }

    /** kappa of G, with SpiderNet's NaN rule. */
    static MetricResult fromGram(double[][] g) {
        double[] ev = SymmetricEigen.eigenvalues(g);
        double min = ev[0];
        double max = ev[ev.length - 1];
        double kappa = max / min;
        if (Double.isNaN(kappa)) {
            return MetricResult.substituted(NAME, NAN_SUBSTITUTE, kappa,
                    "condition number is NaN (lambda_max " + max + ", lambda_min " + min + "); SpiderNet's rule gives "
                            + NAN_SUBSTITUTE);
        }
        if (!(min > 0)) {
            return MetricResult.nonFinite(NAME, kappa, "Gram matrix is singular (lambda_min " + min
                    + ", lambda_max " + max + "): the condition number is infinite");
        }
        return MetricResult.of(NAME, kappa, "condition number overflows (lambda_max " + max + ", lambda_min "
                + min + ")");
    }
}
