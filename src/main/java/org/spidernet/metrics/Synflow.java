package org.spidernet.metrics;

import org.spidernet.backend.Backend;
import org.spidernet.exec.InitScheme;
import org.spidernet.exec.Network;
import org.spidernet.exec.ParamInit;
import org.spidernet.exec.ParamSpec;
import org.spidernet.exec.PlanOptions;
import org.spidernet.graph.Genome;

import java.util.Arrays;
import java.util.Set;

/**
 * synflow (Tanaka et al. 2020, as scored by Abdelfattah et al. 2021). Higher is better; data-free.
 *
 * <p>The genome at its own width (or {@code width}) with every BatchNorm removed, Kaiming fan_in
 * init, then every parameter replaced by its absolute value (the reference's {@code linearize}:
 * all of them, biases included). Input: all ones, one image {@code [1, C, H, W]} in float64.
 * R = sum of the classifier's logits; score = sum over conv and linear weights of |W * dR/dW|.
 * Gates stay at their initial open value. The float64 of the definition holds on a float64
 * backend; a float32 backend computes in float32, where deep networks overflow sooner, and an
 * overflow is a failure.
 */
public final class Synflow implements TrainFreeMetric {
    public static final String NAME = "synflow";

    private final int width;

    public Synflow() {
        this(0);
    }

    /** @param width network width C for scoring; 0 keeps the genome's own */
    public Synflow(int width) {
        if (width < 0) {
            throw new IllegalArgumentException("synflow: width " + width + " (need >= 0)");
        }
        this.width = width;
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
        Genome genome = ScoringNetwork.atWidth(ctx.genome(), width);
        Backend backend = ctx.backend();
        try (Network net = ScoringNetwork.open(backend, genome, 1, PlanOptions.TRAINING.withoutBatchNorm(),
                ctx.initSeed(), InitScheme.FAN_IN, switchedOff)) {
            for (ParamSpec p : net.plan().parameters()) {
                double[] v = backend.download(net.tensor(p.value()));
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.abs(v[i]);
                }
                backend.upload(net.tensor(p.value()), v);
            }
            var in = genome.input();
            double[] ones = new double[in.channels() * in.height() * in.width()];
            Arrays.fill(ones, 1.0);
            net.forward(ones, false, 0.0, null);
            double[] seed = new double[in.classes()];
            Arrays.fill(seed, 1.0);
            net.backwardFromLogits(seed);
            double score = 0;
            for (ParamSpec p : net.plan().parameters()) {
                if (p.init() != ParamInit.CONV_KAIMING && p.init() != ParamInit.LINEAR_WEIGHT) {
                    continue;
                }
                double[] w = backend.download(net.tensor(p.value()));
                double[] g = backend.download(net.tensor(p.grad()));
                for (int i = 0; i < w.length; i++) {
                    score += Math.abs(w[i] * g[i]);
                }
            }
            return MetricResult.of(NAME, score, "the synaptic flow overflows or is NaN");
        }
    }
}
